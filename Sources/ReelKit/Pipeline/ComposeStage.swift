import Foundation
import ReelMedia

/// Converts each segment to constant frame rate and composes the layers: the screen
/// canvas (once per distinct source picture), the presenter (pictures the presenter stage
/// prepared) and its stickers, the title
/// or the hook's headline, then the captions of the source time shown.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (its counters are read after that thread is joined).
final class ComposeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after joining it.
    let name = "compose"
    var inputs: [any MeteredQueue] { [sourceQueue] + (presenterPort.map { [$0.queue] } ?? []) }
    var outputs: [any MeteredQueue] { [canvasQueue] }
    private(set) var itemsOut = 0
    /// Source pictures identical to the one before, whose canvas was reused.
    private(set) var skippedUnchanged = 0

    private let options: RenderOptions
    private let edit: EditList
    private let layers: RenderLayers
    private let sourceQueue: BoundedQueue<SourceMessage>
    private let canvasQueue: BoundedQueue<Frame>
    /// The presenter's prepared pictures, from `PresenterDecodeStage` (nil: no presenter).
    private let presenterPort: PresenterPort?

    init(job: RenderJob, layers: RenderLayers, input: BoundedQueue<SourceMessage>, presenter: PresenterPort?, output: BoundedQueue<Frame>) {
        options = job.options
        edit = job.edit
        self.layers = layers
        sourceQueue = input
        presenterPort = presenter
        canvasQueue = output
    }

    func run(_ control: FailureBox) throws {
        let o = options
        let fps = o.fps
        let zoom = HookZoom(amount: o.hookZoom, width: o.width, height: o.height, bitexact: o.deterministic)
        let screen = ScreenLayer(composer: layers.composer, threads: o.threads, path: o.input, perturbOnePixel: o.perturbOnePixelForTesting)
        let presenter = presenterPort.map(PresenterPictureLayer.init)
        // Bottom to top; each layer says when it draws, the compositor reuses what did not change.
        var stack: [any Layer] = [screen]
        if let presenter { stack.append(presenter) }
        if !layers.stickers.isEmpty { stack.append(try StickersLayer(layers.stickers, on: presenter)) }
        if let title = layers.title { stack.append(TextBlockLayer(title) { !$0.segment.isHook }) }
        if let headline = layers.headline {
            stack.append(TextBlockLayer(headline) { $0.segment.isHook && !zoom.isActive })
        }
        if zoom.isActive {
            stack.append(HookZoomLayer(zoom))
            // The picture punches in; the headline on top stays still.
            if let headline = layers.headline { stack.append(TextBlockLayer(headline) { $0.segment.isHook && $0.segment.frames != nil }) }
        }
        if let subtitles = layers.subtitles { stack.append(CaptionsLayer(subtitles)) }
        if o.hookFlash && edit.segments.contains(where: { $0.isHook }) { stack.append(FlashLayer(width: o.width, height: o.height)) }
        let compositor = Compositor(stack)
        defer { skippedUnchanged = screen.reused }

        func emit(_ slots: [(slot: Int, item: SourceFrame)], segment index: Int) throws -> Bool {
            let segment = edit.segments[index]
            let afterHook = index > 0 && edit.segments[index - 1].isHook
            for (k, (slot, source)) in slots.enumerated() {
                var context = LayerContext(source: source, time: segment.sourceTime(ofLocalFrame: slot, fps: fps), segment: segment,
                                           slot: slot, afterHook: afterHook)
                context.nextShowsSameSource = k + 1 < slots.count && slots[k + 1].item === source
                let out = try compositor.compose(context)
                skippedUnchanged = screen.reused
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
