import Foundation
import ReelMedia

/// Converts each segment to constant frame rate and composes the layers: the screen
/// canvas (once per distinct source picture), the presenter and its stickers, the title
/// or the hook's headline, then the captions of the source time shown.
final class ComposeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after joining it.
    let name = "compose"
    var input: (any MeteredQueue)? { sourceQueue }
    var output: (any MeteredQueue)? { canvasQueue }
    private(set) var itemsOut = 0
    /// Source pictures identical to the one before, whose canvas was reused.
    private(set) var skippedUnchanged = 0

    private let options: RenderOptions
    private let edit: EditList
    private let layers: RenderLayers
    private let sourceQueue: BoundedQueue<SourceMessage>
    private let canvasQueue: BoundedQueue<Frame>

    init(job: RenderJob, layers: RenderLayers, input: BoundedQueue<SourceMessage>, output: BoundedQueue<Frame>) {
        options = job.options
        edit = job.edit
        self.layers = layers
        sourceQueue = input
        canvasQueue = output
    }

    func run(_ control: FailureBox) throws {
        let o = options
        let fps = o.fps
        var graph: FilterGraph? = nil
        var graphColor: FrameColor? = nil
        var graphSize = (0, 0)
        var lastSource: SourceFrame? = nil
        var lastCanvas: Frame? = nil
        var lastLayered: (canvas: Frame, presenter: Frame?, hook: Bool, frame: Frame)? = nil
        var lastCaptioned: (base: Frame, cue: Int, opacity: Double, frame: Frame)? = nil
        let flash = o.hookFlash && edit.segments.contains { $0.isHook }
            ? Overlay(solid: (235, 128, 128), width: o.width, height: o.height) : nil
        let zoom = HookZoom(amount: o.hookZoom, width: o.width, height: o.height, bitexact: o.deterministic)
        let tracker = try layers.presenter.flatMap { try StickerTracker(stickers: layers.stickers, presenter: $0) }

        func canvas(for source: SourceFrame) throws -> Frame {
            if let last = lastSource, let canvas = lastCanvas {
                if last === source { return canvas }
                if source.frame.hasSamePixels(as: last.frame) {
                    skippedUnchanged += 1
                    lastSource = source
                    return canvas
                }
            }
            let color = source.frame.color
            if graph == nil || graphColor != color || graphSize != (source.frame.width, source.frame.height) {
                graph = try FilterGraph(layers.composer.graph(for: color), input: source.frame, timeBase: Rational(1, 1_000_000),
                                        threads: o.threads)
                graphColor = color
                graphSize = (source.frame.width, source.frame.height)
            }
            let input = source.frame.reference()
            input.pts = 0
            guard let composed = try graph!.process(input).first else {
                throw MediaError(.internalFailure, path: o.input, "the compositor produced no picture")
            }
            if o.perturbOnePixelForTesting { composed.perturbOnePixel() }
            lastSource = source
            lastCanvas = composed
            return composed
        }
        /// Canvas + presenter + stickers + title/headline: static between presenter frames.
        func layered(_ base: Frame, at t: Double, hook: Bool) throws -> Frame {
            let picture = try layers.presenter?.picture(atSourceTime: t)
            if let last = lastLayered, last.canvas === base, last.presenter === picture, last.hook == hook { return last.frame }
            let out = base.reference()
            if let picture, let p = layers.presenter { out.blend(picture: picture, x: p.x, y: p.y) }
            // Stickers go with the presenter's picture (none while it is off) or on the canvas.
            if picture != nil || layers.presenter == nil {
                for (i, sticker) in layers.stickers.enumerated() {
                    let shift = picture.flatMap { tracker?.shift(i, on: $0) } ?? (dx: 0, dy: 0)
                    out.blend(sticker.overlay, x: sticker.x + shift.dx, y: sticker.y + shift.dy)
                }
            }
            if !hook, let title = layers.title { out.blend(title.overlay, x: title.x, y: title.y) }
            if hook, !zoom.isActive, let h = layers.headline { out.blend(h.overlay, x: h.x, y: h.y) }
            lastLayered = (base, picture, hook, out)
            return out
        }
        func emit(_ slots: [(slot: Int, item: SourceFrame)], segment index: Int) throws -> Bool {
            let segment = edit.segments[index]
            for (slot, source) in slots {
                let t = segment.sourceTime(ofLocalFrame: slot, fps: fps)
                var base = try layered(try canvas(for: source), at: t, hook: segment.isHook)
                if segment.isHook, let frames = segment.frames, zoom.isActive {
                    // The picture punches in; the headline on top stays still.
                    base = try zoom.apply(base, progress: Double(slot) / Double(max(1, frames - 1)))
                    if let h = layers.headline { base.blend(h.overlay, x: h.x, y: h.y) }
                }
                var out = base.reference()
                if let subtitles = layers.subtitles, let caption = try subtitles.overlay(at: t, segmentStart: segment.sourceStart) {
                    // Same picture under the same caption at the same opacity (a still screen,
                    // a held frame): reuse the blended picture instead of blending again.
                    if let last = lastCaptioned, last.base === base, last.cue == caption.cue, last.opacity == caption.opacity {
                        out = last.frame.reference()
                    } else {
                        out.blend(caption.overlay, x: caption.x, y: caption.y, opacity: caption.opacity)
                        lastCaptioned = (base, caption.cue, caption.opacity, out)
                    }
                }
                // The cut from the hook into the body: a white flash fading over 4 frames.
                if let flash, !segment.isHook, index > 0, edit.segments[index - 1].isHook, slot < 4 {
                    out = out.reference()
                    out.blend(flash, x: 0, y: 0, opacity: 0.55 * Double(4 - slot) / 4)
                }
                out.pts = Int64(segment.outputStart + slot)
                if !canvasQueue.push(out) { return false }
                itemsOut += 1
            }
            return true
        }

        var current = 0
        var clock = FrameClock<SourceFrame>(fps: fps, endTime: edit.segments[0].frames.map { Double($0) / Double(fps) })
        var lastItem: SourceFrame? = nil
        /// Ends segment `current`: its last frame held to its end (or the previous segment's
        /// last picture, should a segment have decoded nothing).
        func finishSegment(sourceEnd: Double) throws -> Bool {
            if clock.nextSlot == 0, let item = lastItem { _ = clock.add(item, at: -1) }
            return try emit(clock.finish(sourceEnd: sourceEnd), segment: current)
        }
        var sourceEnd: Double? = nil
        while let message = sourceQueue.pop() {
            guard case .frame(let source) = message else {
                if case .end(let end) = message { sourceEnd = end }
                continue
            }
            while source.segment > current {
                let length = edit.segments[current].frames.map { Double($0) / Double(fps) } ?? 0
                if !(try finishSegment(sourceEnd: length)) { return }
                current += 1
                clock = FrameClock<SourceFrame>(fps: fps, endTime: edit.segments[current].frames.map { Double($0) / Double(fps) })
            }
            lastItem = source
            if clock.isComplete { continue }
            if !(try emit(clock.add(source, at: source.seconds), segment: current)) { return }
        }
        // Without the end message the source stopped short (a failure, a cancellation).
        guard let sourceEnd, !control.isStopping else { return }
        while current < edit.segments.count {
            let length = edit.segments[current].frames.map { Double($0) / Double(fps) } ?? sourceEnd
            if !(try finishSegment(sourceEnd: length)) { return }
            current += 1
            if current < edit.segments.count {
                clock = FrameClock<SourceFrame>(fps: fps, endTime: edit.segments[current].frames.map { Double($0) / Double(fps) })
            }
        }
    }
}
