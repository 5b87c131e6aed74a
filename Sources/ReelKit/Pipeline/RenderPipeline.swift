import Foundation
import ReelMedia
import ReelText

/// decode → normalize/compose → encode → mux, as three threads joined by bounded queues
/// (the shape of FFmpeg's fftools). Memory is bounded by the queue sizes, not the input's
/// length. The first error in any stage cancels every queue and is rethrown by `run`.
public final class RenderPipeline: @unchecked Sendable {
    public let options: RenderOptions
    private let onProgress: @Sendable (RenderProgress) -> Void
    private let onWarning: @Sendable (String) -> Void
    private let failure = FailureBox()

    public init(options: RenderOptions, onProgress: @escaping @Sendable (RenderProgress) -> Void = { _ in },
                onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.onProgress = onProgress
        self.onWarning = onWarning
    }

    // MARK: - Items handed between stages

    /// A decoded source frame and where it sits on the output timeline.
    final class SourceFrame: @unchecked Sendable {
        let frame: Frame
        /// Seconds from the start of its edit-list segment.
        let seconds: Double
        let segment: Int
        init(frame: Frame, seconds: Double, segment: Int) { self.frame = frame; self.seconds = seconds; self.segment = segment }
    }

    public func run() throws -> RenderSummary {
        let started = Date()
        let o = options
        try validate(o)
        try o.checkFiles()
        // Claimed before any work: a destination that cannot be written fails at once.
        let output = try OutputFile(destination: o.output, inputs: o.inputFiles, force: o.force, kind: o.previewAt == nil ? "mp4" : "png")
        let hashOutput = try o.frameHashes.map { try OutputFile(destination: $0, inputs: o.inputFiles, force: o.force, kind: "framemd5") }
        let info = try Probe.inspect(path: o.input, scanPackets: 0)
        guard let videoInfo = info.video else {
            throw MediaError(.invalidInput, path: o.input, "no video stream")
        }
        let source = SourcePicture(stream: videoInfo)
        guard source.storedWidth > 0, source.storedHeight > 0 else {
            throw MediaError(.invalidInput, path: o.input, "video stream has no picture size")
        }
        guard source.storedWidth <= o.limits.picture, source.storedHeight <= o.limits.picture else {
            throw o.limits.exceeded("picture size \(source.storedWidth)x\(source.storedHeight)", "picture", path: o.input)
        }
        if let s = o.trimStart, let e = o.trimEnd, e <= s {
            throw MediaError(.usage, path: o.input, "--trim end (\(e)) must be after its start (\(s))")
        }
        let presenterReader = try o.presenter.map { try PresenterLayer.open($0, fps: o.fps, threads: o.threads, limits: o.limits) }
        let cutOut = o.presenter?.key != nil || (presenterReader?.firstFrame.color.hasAlpha ?? false)
        let template = o.layout ?? (o.presenter == nil ? .screen : (cutOut ? .pip : .split))
        var overrides = o.layoutOverrides
        if let p = o.presenter, overrides.presenter == nil, let box = Self.anchoredBox(p, reader: presenterReader!, options: o) {
            overrides.presenter = box
            if overrides.captionBottom == nil, template != .split { overrides.captionBottom = box.y - 12 }
        }
        let layout = CanvasLayout(template: template, canvasWidth: o.width, canvasHeight: o.height, safeArea: o.safeArea,
                                  hasPresenter: o.presenter != nil, presenterIsCutOut: cutOut,
                                  captionMargin: o.captions.bottomMargin, overrides: overrides)
        let featured = try CropDecision.decide(options: o, path: o.input, source: source, videoStream: videoInfo.index,
                                               duration: videoInfo.duration ?? info.duration, layout: layout)
        if let warning = featured.warning { onWarning("\(o.input): \(warning)") }
        let crop = featured.rect
        let cropReason: String? = featured.summary
        let composer = CanvasComposer(canvasWidth: o.width, canvasHeight: o.height, crop: crop,
                                      panel: layout.panel(canvasWidth: o.width, canvasHeight: o.height, content: (crop.width, crop.height)),
                                      background: o.background, source: source, bitexact: o.deterministic)
        let presenter = try o.presenter.map { p in
            try PresenterLayer(options: p, reader: presenterReader!, box: layout.presenterBox!, fit: p.fitMode ?? layout.fit,
                               canvasHeight: o.height, safeBottom: o.safeArea.scaled(toWidth: o.width, height: o.height).bottom,
                               fps: o.fps, threads: o.threads, bitexact: o.deterministic)
        }
        let stickers = try placeStickers(presenter: presenter)

        let segmenter = try o.wordSegmenter()
        let subtitles = try loadSubtitles(captionBottom: layout.captionBottom, screenPanel: composer.panel, segmenter: segmenter)
        let title: TitleLayer?, headline: TitleLayer?
        do {
            title = try o.title.map { try TitleLayer(text: $0, english: o.titleEnglish, style: o.captions, canvasWidth: o.width,
                                                     canvasHeight: o.height, safeArea: o.safeArea, segmenter: segmenter) }
            headline = try o.hookTitle.map { try TitleLayer(text: $0, english: o.hookTitleEnglish, style: o.captions,
                                                            size: o.captions.headlineSize, box: o.captions.headlineBox, canvasWidth: o.width,
                                                            canvasHeight: o.height, safeArea: o.safeArea, segmenter: segmenter) }
        } catch let e as TextError { throw MediaError(e, path: o.captions.chinese.font) }
        let sourceDuration = videoInfo.duration ?? info.duration ?? 0
        // An absurd declared duration (a forged header) would overflow frame arithmetic.
        guard sourceDuration.isFinite, sourceDuration >= 0, sourceDuration <= o.limits.duration else {
            throw o.limits.exceeded(String(format: "the recording declares %.0f s", sourceDuration), "duration", path: o.input)
        }
        // The first frame is the cover: black or blank frames at the start are skipped (LeadingBlank).
        let skipped = o.keepLeadingBlank || o.edit != nil || o.trimStart != nil ? nil
            : try LeadingBlank.contentStart(path: o.input, limit: min(10, max(0, sourceDuration / 2)))
        var (edit, hookReason) = try makeEditList(sourceDuration: sourceDuration, bodyStart: skipped ?? 0, presenter: presenter,
                                                  cues: subtitles?.cues ?? [])
        if o.resolveOnly {
            var summary = RenderSummary(output: o.output, frames: Self.expectedFrames(edit: edit, sourceDuration: sourceDuration, fps: o.fps),
                                        duration: 0, wallSeconds: Date().timeIntervalSince(started), crop: crop, cropReason: cropReason,
                                        reusedFrames: 0, hook: hookReason)
            summary.duration = Double(summary.frames) / Double(o.fps)
            summary.resolved = ResolvedRender(crop: crop, template: template, layout: layout, edit: edit)
            return summary
        }
        if let t = o.previewAt {
            let n = max(0, Int((t * Double(o.fps)).rounded(.down)))
            let total = Self.expectedFrames(edit: edit, sourceDuration: sourceDuration, fps: o.fps)
            guard n < total, let one = edit.single(frame: n) else {
                throw MediaError(.usage, path: o.input, String(format: "--at %.2f is past the end of the video (%.2f s)", t, Double(total) / Double(o.fps)))
            }
            edit = one
            return try preview(info: info, edit: edit, output: output, layers: Layers(composer: composer, presenter: presenter, stickers: stickers,
                                                                       subtitles: subtitles, title: title, headline: headline),
                               started: started, crop: crop, cropReason: cropReason, hookReason: hookReason)
        }
        let audio = try AudioPlan(options: o, edit: edit, presenter: presenter, recordingHasAudio: info.audio != nil,
                                  sourceDuration: sourceDuration)
        try audio.measure(expectedFrames: Self.expectedFrames(edit: edit, sourceDuration: sourceDuration, fps: o.fps))
        let layers = Layers(composer: composer, presenter: presenter, stickers: stickers, subtitles: subtitles,
                            title: title, headline: headline)

        do {
            let (frames, reused) = try render(info: info, edit: edit, layers: layers, audio: audio, output: output,
                                              hashOutput: hashOutput, started: started)
            try output.commit()
            try hashOutput?.commit()
            return RenderSummary(output: output.destination, frames: frames, duration: Double(frames) / Double(o.fps),
                                 wallSeconds: Date().timeIntervalSince(started), crop: crop, cropReason: cropReason,
                                 reusedFrames: reused, hook: hookReason, loudness: audio.summary, skippedLeadingBlank: skipped)
        } catch {
            output.discard()
            hashOutput?.discard()
            throw output.reported(hashOutput?.reported(error) ?? error)
        }
    }

    /// Composes one frame and writes it as a PNG (temp file, then rename): no audio, no encoding.
    private func preview(info: MediaInfo, edit: EditList, output: OutputFile, layers: Layers, started: Date, crop: PixelRect,
                         cropReason: String?, hookReason: String?) throws -> RenderSummary {
        let o = options
        do {
            let demuxer = try Demuxer(path: o.input)
            guard let videoIndex = demuxer.bestStream(.video) else { throw MediaError(.invalidInput, path: o.input, "no video stream") }
            let decoder = try Decoder(demuxer, stream: videoIndex, threads: o.threads)
            let sourceQueue = BoundedQueue<SourceFrame>(capacity: 6)
            let canvasQueue = BoundedQueue<Frame>(capacity: 6)
            let results = StageResults()
            let decodeThread = StageThread(name: "reel-decode") { [self] in
                do {
                    results.sourceEnd = try decodeStage(demuxer: demuxer, videoDecoder: decoder, edit: edit, origin: demuxer.startTime(of: videoIndex),
                                                        declaredVideoDuration: nil, sourceQueue: sourceQueue)
                    sourceQueue.close()
                } catch { failure.record(error); sourceQueue.cancel(); canvasQueue.cancel() }
            }
            _ = try composeStage(edit: edit, layers: layers, sourceQueue: sourceQueue, canvasQueue: canvasQueue,
                                 sourceEnd: { decodeThread.join(); return results.sourceEnd })
            canvasQueue.close()
            decodeThread.join()
            if let error = failure.error { throw error }
            guard let frame = canvasQueue.pop() else { throw MediaError(.invalidInput, path: o.input, "no picture at that time") }
            try PNGFile.write(try frame.rgbImage(), to: output.temporary)
            try output.commit()
        } catch {
            output.discard()
            throw output.reported(error)
        }
        return RenderSummary(output: output.destination, frames: 1, duration: 1 / Double(o.fps), wallSeconds: Date().timeIntervalSince(started),
                             crop: crop, cropReason: cropReason, reusedFrames: 0, hook: hookReason)
    }

    /// Output frames, counting an open last segment to the source's stated end.
    static func expectedFrames(edit: EditList, sourceDuration: Double, fps: Int) -> Int {
        edit.totalFrames ?? max(1, edit.segments.last!.outputStart + FrameClock<Int>.slot(of: sourceDuration - edit.segments.last!.sourceStart, fps: fps))
    }

    /// What the compositor draws, bottom to top.
    struct Layers {
        let composer: CanvasComposer
        let presenter: PresenterLayer?
        let stickers: [PlacedSticker]
        let subtitles: SubtitleTrack?
        let title: TitleLayer?
        let headline: TitleLayer?
    }

    /// A presenter box from --presenter-scale/-anchor/-margin, when any is given.
    static func anchoredBox(_ p: PresenterOptions, reader: VideoFrameReader, options o: RenderOptions) -> PixelRect? {
        guard p.scale != nil || p.anchor != nil || p.margin != nil else { return nil }
        let safe = o.safeArea.scaled(toWidth: o.width, height: o.height)
        let source = SourcePicture(stream: reader.stream)
        let (dw, dh) = source.displaySize
        let w = (Int((p.scale ?? 0.4) * Double(o.width)) & ~1)
        let h = (Int(Double(w) * Double(max(dh, 1)) / Double(max(dw, 1))) & ~1)
        let m = p.margin ?? 24
        let left = safe.left + m, right = o.width - safe.right - m - w
        let top = safe.top + m, bottom = o.height - safe.bottom - m - h
        let centreX = (o.width - w) / 2, centreY = (o.height - h) / 2
        let (x, y): (Int, Int)
        switch p.anchor ?? .bottomLeft {
        case .bottomLeft: (x, y) = (left, bottom)
        case .bottomRight: (x, y) = (right, bottom)
        case .bottom: (x, y) = (centreX, bottom)
        case .center: (x, y) = (centreX, centreY)
        case .top: (x, y) = (centreX, top)
        case .topLeft: (x, y) = (left, top)
        case .topRight: (x, y) = (right, top)
        }
        return PixelRect(x: max(0, x) & ~1, y: max(0, y) & ~1, width: max(2, w), height: max(2, h))
    }

    private func placeStickers(presenter: PresenterLayer?) throws -> [PlacedSticker] {
        let o = options
        guard !o.stickers.isEmpty else { return [] }
        let rasterizer: TextRasterizer
        do { rasterizer = try TextRasterizer() } catch let e as TextError { throw MediaError(e, path: "") }
        return try o.stickers.map { spec in
            do {
                switch spec.layer {
                case .presenter:
                    guard let presenter else { throw MediaError(.usage, path: "", "a sticker on layer=presenter needs --presenter") }
                    let centre = presenter.canvasPoint(x: spec.x, y: spec.y)
                    return try PlacedSticker(spec, layerWidth: Double(presenter.scaledWidth), centre: centre, rasterizer: rasterizer, limits: o.limits)
                case .canvas:
                    return try PlacedSticker(spec, layerWidth: Double(o.width), centre: (spec.x * Double(o.width), spec.y * Double(o.height)),
                                             rasterizer: rasterizer, limits: o.limits)
                }
            } catch let e as TextError { throw MediaError(e, path: spec.font) }
        }
    }

    /// The output's ranges: the plan's edit list or the trim, the presenter's end when it
    /// cuts the video, and the hook in front. Returns why an automatic hook was chosen.
    private func makeEditList(sourceDuration: Double, bodyStart: Double, presenter: PresenterLayer?, cues: [Cue]) throws -> (EditList, String?) {
        let o = options
        var body = o.edit ?? [EditRange(from: o.trimStart ?? bodyStart, to: o.trimEnd)]
        if let p = presenter, p.options.fit == .cut, p.duration.isFinite {
            let end = p.options.start + p.duration
            body = body.compactMap { r in
                r.from >= end ? nil : EditRange(from: r.from, to: min(r.to ?? sourceDuration, end))
            }
            if body.isEmpty { throw MediaError(.usage, path: p.options.path, "--presenter-fit cut: the presenter ends before the edit starts") }
        }
        var ranges = body
        var reason: String? = nil
        switch o.hook {
        case nil: break
        case .range(let start, let duration)?:
            ranges.insert(EditRange(from: start, to: start + duration), at: 0)
        case .auto(let duration)?:
            let pick = try HookPicker.pick(options: o, duration: duration, sourceDuration: sourceDuration, cues: cues, presenter: presenter)
            ranges.insert(EditRange(from: pick.start, to: pick.start + duration), at: 0)
            reason = pick.explanation
        }
        do {
            return (try EditList(ranges: ranges, sourceDuration: sourceDuration, fps: o.fps, hookCount: o.hook == nil ? 0 : 1), reason)
        } catch let e as EditList.Invalid {
            // A plan's `edit:` is the plan's mistake, not the recording's.
            if o.edit != nil, let plan = o.planPath { throw MediaError(.invalidInput, path: plan, "edit: " + e.description) }
            throw MediaError(.usage, path: o.input, e.description)
        }
    }

    private func validate(_ o: RenderOptions) throws {
        guard RenderOptions.allowedFrameRates.contains(o.fps) else {
            throw MediaError(.usage, path: "", "--fps \(o.fps) is not supported (use 25, 30, 50 or 60)")
        }
        guard o.width >= 64, o.height >= 64, o.width <= 4096, o.height <= 4096, o.width % 2 == 0, o.height % 2 == 0 else {
            throw MediaError(.usage, path: "", "--size \(o.width)x\(o.height) must be even and between 64 and 4096")
        }
        guard (0...51).contains(o.crf) else { throw MediaError(.usage, path: "", "--crf \(o.crf) must be 0…51") }
        // libavfilter aborts the process on a negative thread count.
        guard NumberRange.threads.contains(o.threads) else { throw MediaError(.usage, path: "", "--threads \(o.threads) must be 0…64") }
        guard Encoder.exists(o.encoder) else {
            throw MediaError(.unavailable, path: o.encoder, "no such encoder in this libavcodec (libx264 is the default)")
        }
    }

    // MARK: - The three stages

    /// Reads and checks the subtitle files up front: a broken file fails before any work.
    private func loadSubtitles(captionBottom: Int, screenPanel: PixelRect, segmenter: WordSegmenter) throws -> SubtitleTrack? {
        let o = options
        guard let (path, cues) = try CaptionLint.readCues(o) else { return nil }
        let track: SubtitleTrack
        do {
            track = try SubtitleTrack(cues: cues, style: o.captions, canvasWidth: o.width, canvasHeight: o.height,
                                      safeArea: o.safeArea, fps: o.fps, captionBottom: captionBottom, screenPanel: screenPanel,
                                      segmenter: segmenter)
            if segmenter.dictionaryPath == nil, cues.contains(where: { !$0.chinese.isEmpty }) {
                onWarning("no Chinese word dictionary (apt-get install python3-jieba): Chinese lines may break inside words")
            }
            let missing = try track.missingCharacters()
            if !missing.isEmpty {
                onWarning("\(path): no installed font has these characters: \(String(missing)) (they will be left out)")
            }
        } catch let e as TextError {
            throw MediaError(e, path: path)
        }
        return track
    }

    private func render(info: MediaInfo, edit: EditList, layers: Layers, audio: AudioPlan,
                        output: OutputFile, hashOutput: OutputFile?, started: Date) throws -> (Int, Int) {
        let o = options
        let demuxer = try Demuxer(path: o.input)
        guard let videoIndex = demuxer.bestStream(.video) else {
            throw MediaError(.invalidInput, path: o.input, "no video stream")
        }
        let videoDecoder = try Decoder(demuxer, stream: videoIndex, threads: o.threads)
        let origin = demuxer.startTime(of: videoIndex)
        let sourceDuration = info.video?.duration ?? info.duration ?? 1
        let expectedFrames = Self.expectedFrames(edit: edit, sourceDuration: sourceDuration, fps: o.fps)

        let sourceQueue = BoundedQueue<SourceFrame>(capacity: 6)
        let canvasQueue = BoundedQueue<Frame>(capacity: 6)
        let queues: [() -> Void] = [sourceQueue.cancel, canvasQueue.cancel]
        let fail: @Sendable (Error) -> Void = { [failure] error in
            failure.record(error)
            queues.forEach { $0() }
        }
        let results = StageResults()

        let decodeThread = StageThread(name: "reel-decode") { [self] in
            do {
                results.sourceEnd = try decodeStage(demuxer: demuxer, videoDecoder: videoDecoder, edit: edit, origin: origin,
                                                    declaredVideoDuration: info.video?.duration, sourceQueue: sourceQueue)
                sourceQueue.close()
            } catch { fail(error) }
        }
        let composeThread = StageThread(name: "reel-compose") { [self] in
            do {
                results.reused = try composeStage(edit: edit, layers: layers, sourceQueue: sourceQueue, canvasQueue: canvasQueue,
                                                  sourceEnd: { decodeThread.join(); return results.sourceEnd })
                canvasQueue.close()
            } catch { fail(error) }
        }
        var frames = 0
        do {
            frames = try encodeStage(canvasQueue: canvasQueue, audio: audio, output: output, hashOutput: hashOutput,
                                     expectedFrames: expectedFrames, started: started)
        } catch { fail(error) }
        decodeThread.join()
        composeThread.join()
        if let error = failure.error { throw error }
        if frames == 0 { throw MediaError(.invalidInput, path: o.input, "no decodable video frames") }
        return (frames, results.reused)
    }

    /// Reads packets and decodes the recording's video, segment by segment of the edit list
    /// (seeking to each segment's start), handing frames on with segment-relative times.
    /// Returns where the last segment's last frame ends (seconds from that segment's start).
    private func decodeStage(demuxer: Demuxer, videoDecoder: Decoder, edit: EditList, origin: Double,
                             declaredVideoDuration: Double?, sourceQueue: BoundedQueue<SourceFrame>) throws -> Double {
        demuxer.keepOnly([videoDecoder.streamIndex])
        let videoTB = videoDecoder.timeBase
        let nominalFrame = 1.0 / max(1.0, (demuxer.averageFrameRate(of: videoDecoder.streamIndex) ?? 30))
        var lastVideoEnd = 0.0
        var decodedAny = false
        var badPackets = 0

        let deinterlacer = Deinterlacer(mode: options.deinterlace, streamIsInterlaced: demuxer.isInterlaced(stream: videoDecoder.streamIndex),
                                        timeBase: videoTB)
        for (index, segment) in edit.segments.enumerated() {
            let start = origin + segment.sourceStart
            let length = segment.frames.map { Double($0) / Double(options.fps) }
            if index > 0 || segment.sourceStart > 0 {
                try demuxer.seek(to: start, keyframeOf: videoDecoder.streamIndex)
                videoDecoder.reset()
            }
            lastVideoEnd = 0
            var done = false
            func handle(_ frames: [Frame]) -> Bool {
                for frame in frames {
                    guard let t = frame.seconds(in: videoTB) else { continue }
                    let rel = t - start
                    if let length, rel >= length { done = true; continue }
                    decodedAny = true
                    let dur = frame.durationUnits.map { Double($0) * videoTB.value } ?? nominalFrame
                    lastVideoEnd = max(lastVideoEnd, rel + dur)
                    if !sourceQueue.push(SourceFrame(frame: frame, seconds: rel, segment: index)) { return false }
                }
                return true
            }
            while !done {
                if failure.error != nil { return lastVideoEnd }
                guard let packet = try demuxer.readPacket() else { break }
                guard packet.streamIndex == videoDecoder.streamIndex else { continue }
                do {
                    if !handle(try deinterlacer.pass(videoDecoder.decode(packet))) { return lastVideoEnd }
                } catch {
                    // One damaged packet is not a reason to fail a long render; libav conceals it.
                    badPackets += 1
                    if badPackets > 50 { throw error }
                }
            }
            if !done, !handle(try deinterlacer.pass(videoDecoder.decode(nil))) { return lastVideoEnd }
            if !done, !handle(try deinterlacer.finish()) { return lastVideoEnd }
            _ = try? deinterlacer.finish()   // a segment cut short: start the next one with a fresh graph
        }
        if !decodedAny { throw MediaError(.invalidInput, path: options.input, "no decodable video frames") }
        // A file whose video stops well before the video stream's own stated duration was cut
        // off (the container's duration is not used: audio may rightly outlast the picture).
        let last = edit.segments.last!
        if last.frames == nil, let stated = declaredVideoDuration,
           stated - last.sourceStart - lastVideoEnd > max(1.0, stated * 0.1) {
            throw MediaError(.invalidInput, path: options.input,
                             String(format: "truncated: video ends at %.2f s of the %.2f s the file declares", last.sourceStart + lastVideoEnd, stated))
        }
        return lastVideoEnd
    }

    /// Converts each segment to constant frame rate and composes the layers: the screen
    /// canvas (once per distinct source picture), the presenter and its stickers, the title
    /// or the hook's headline, then the captions of the source time shown.
    private func composeStage(edit: EditList, layers: Layers, sourceQueue: BoundedQueue<SourceFrame>,
                              canvasQueue: BoundedQueue<Frame>, sourceEnd: () -> Double) throws -> Int {
        let fps = options.fps
        var graph: FilterGraph? = nil
        var graphColor: FrameColor? = nil
        var graphSize = (0, 0)
        var lastSource: SourceFrame? = nil
        var lastCanvas: Frame? = nil
        var lastLayered: (canvas: Frame, presenter: Frame?, hook: Bool, frame: Frame)? = nil
        var lastCaptioned: (base: Frame, cue: Int, opacity: Double, frame: Frame)? = nil
        var reused = 0
        let flash = options.hookFlash && edit.segments.contains { $0.isHook }
            ? Overlay(solid: (235, 128, 128), width: options.width, height: options.height) : nil
        let zoom = HookZoom(amount: options.hookZoom, width: options.width, height: options.height, bitexact: options.deterministic)
        let tracker = try layers.presenter.flatMap { try StickerTracker(stickers: layers.stickers, presenter: $0) }

        func canvas(for source: SourceFrame) throws -> Frame {
            if let last = lastSource, let canvas = lastCanvas {
                if last === source { return canvas }
                if source.frame.hasSamePixels(as: last.frame) {
                    reused += 1
                    lastSource = source
                    return canvas
                }
            }
            let color = source.frame.color
            if graph == nil || graphColor != color || graphSize != (source.frame.width, source.frame.height) {
                graph = try FilterGraph(layers.composer.graph(for: color), input: source.frame, timeBase: Rational(1, 1_000_000),
                                        threads: options.threads)
                graphColor = color
                graphSize = (source.frame.width, source.frame.height)
            }
            let input = source.frame.reference()
            input.pts = 0
            guard let composed = try graph!.process(input).first else {
                throw MediaError(.internalFailure, path: options.input, "the compositor produced no picture")
            }
            if options.perturbOnePixelForTesting { composed.perturbOnePixel() }
            lastSource = source
            lastCanvas = composed
            return composed
        }
        /// Canvas + presenter + stickers + title/headline: static between presenter frames.
        func layered(_ base: Frame, at t: Double, hook: Bool) throws -> Frame {
            let picture = try layers.presenter?.picture(atSourceTime: t)
            if let last = lastLayered, last.canvas === base, last.presenter === picture, last.hook == hook { return last.frame }
            let out = base.reference()
            if let picture, let p = layers.presenter { try out.blend(picture: picture, x: p.x, y: p.y) }
            // Stickers go with the presenter's picture (none while it is off) or on the canvas.
            if picture != nil || layers.presenter == nil {
                for (i, sticker) in layers.stickers.enumerated() {
                    let shift = picture.flatMap { tracker?.shift(i, on: $0) } ?? (dx: 0, dy: 0)
                    try out.blend(sticker.overlay, x: sticker.x + shift.dx, y: sticker.y + shift.dy)
                }
            }
            if !hook, let title = layers.title { try out.blend(title.overlay, x: title.x, y: title.y) }
            if hook, !zoom.isActive, let h = layers.headline { try out.blend(h.overlay, x: h.x, y: h.y) }
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
                    if let h = layers.headline { try base.blend(h.overlay, x: h.x, y: h.y) }
                }
                var out = base.reference()
                if let subtitles = layers.subtitles, let caption = try subtitles.overlay(at: t, segmentStart: segment.sourceStart) {
                    // Same picture under the same caption at the same opacity (a still screen,
                    // a held frame): reuse the blended picture instead of blending again.
                    if let last = lastCaptioned, last.base === base, last.cue == caption.cue, last.opacity == caption.opacity {
                        out = last.frame.reference()
                    } else {
                        try out.blend(caption.overlay, x: caption.x, y: caption.y, opacity: caption.opacity)
                        lastCaptioned = (base, caption.cue, caption.opacity, out)
                    }
                }
                // The cut from the hook into the body: a white flash fading over 4 frames.
                if let flash, !segment.isHook, index > 0, edit.segments[index - 1].isHook, slot < 4 {
                    out = out.reference()
                    try out.blend(flash, x: 0, y: 0, opacity: 0.55 * Double(4 - slot) / 4)
                }
                out.pts = Int64(segment.outputStart + slot)
                if !canvasQueue.push(out) { return false }
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
        while let source = sourceQueue.pop() {
            while source.segment > current {
                let length = edit.segments[current].frames.map { Double($0) / Double(fps) } ?? 0
                if !(try finishSegment(sourceEnd: length)) { return reused }
                current += 1
                clock = FrameClock<SourceFrame>(fps: fps, endTime: edit.segments[current].frames.map { Double($0) / Double(fps) })
            }
            lastItem = source
            if clock.isComplete { continue }
            if !(try emit(clock.add(source, at: source.seconds), segment: current)) { return reused }
        }
        if failure.error != nil { return reused }
        while current < edit.segments.count {
            let length = edit.segments[current].frames.map { Double($0) / Double(fps) } ?? sourceEnd()
            if !(try finishSegment(sourceEnd: length)) { return reused }
            current += 1
            if current < edit.segments.count {
                clock = FrameClock<SourceFrame>(fps: fps, endTime: edit.segments[current].frames.map { Double($0) / Double(fps) })
            }
        }
        return reused
    }

    /// Encodes the composed frames and the mixed audio (exactly as long as the video,
    /// sample-exact), and muxes them.
    private func encodeStage(canvasQueue: BoundedQueue<Frame>, audio plan: AudioPlan,
                             output: OutputFile, hashOutput: OutputFile?, expectedFrames: Int, started: Date) throws -> Int {
        let o = options
        let muxer = try Muxer(path: output.temporary)
        var settings = VideoEncoderSettings()
        settings.encoder = o.encoder
        settings.width = o.width
        settings.height = o.height
        settings.fps = o.fps
        settings.crf = o.crf
        settings.preset = o.preset
        settings.deterministic = o.deterministic
        settings.threads = o.deterministic ? 1 : 0
        let video = try Encoder(video: settings, globalHeader: muxer.needsGlobalHeader)
        let audio = try Encoder(aacSampleRate: AudioFormat.sampleRate, bitrate: AudioFormat.bitrate, globalHeader: muxer.needsGlobalHeader)
        let videoStream = try muxer.addStream(for: video)
        let audioStream = try muxer.addStream(for: audio)
        try muxer.start(deterministic: o.deterministic)

        let mixer = try plan.makeRenderer(expectedFrames: expectedFrames)
        var fifo = SampleFifo()
        // The AAC encoder's priming samples play first (there is no edit list to hide them),
        // so the first `initialPadding` samples of the mix are replaced by them: every later
        // sample then plays exactly at its own time and the track is exactly as long as the video.
        var audioWritten = audio.initialPadding
        var mixed = 0
        var frames = 0
        var lastReport = Date.distantPast
        report(.start, frames: 0, total: expectedFrames, started: started)
        var hashes: FrameHashFile? = nil
        if o.frameHashes != nil {
            var file = FrameHashFile()
            var stream = FrameHashFile.Stream(timeBase: Rational(1, o.fps), mediaType: "video", codecID: "rawvideo")
            stream.width = o.width
            stream.height = o.height
            file.streams = [stream]
            hashes = file
        }
        var lastHashed: (frame: Frame, md5: String, size: Int)? = nil

        func encodeAudio(upTo limit: Int, final: Bool) throws {
            let size = audio.frameSize
            while audioWritten < limit {
                let n = min(size, limit - audioWritten)
                if n < size && !final { break }
                if fifo.count < n {
                    if final { fifo.appendSilence(n - fifo.count) } else { break }
                }
                let chunk = fifo.take(n)
                let frame = try audio.makeAudioFrame(chunk, range: 0..<n, pts: Int64(audioWritten))
                for p in try audio.encode(frame) { try muxer.write(p, stream: audioStream) }
                audioWritten += n
            }
        }
        func mixFrame(_ tail: Bool = false) throws {
            let samples = tail ? try mixer.finish() : try mixer.next()
            guard !samples[0].isEmpty else { return }
            let skip = max(0, audio.initialPadding - mixed)
            mixed += samples[0].count
            fifo.append(samples, dropping: skip)
        }

        while let frame = canvasQueue.pop() {
            if hashes != nil {
                // A repeated picture (same buffers) is not hashed twice.
                let (md5, size) = lastHashed.flatMap { $0.frame.sharesPixels(with: frame) ? ($0.md5, $0.size) : nil }
                    ?? FrameHasher.md5(video: frame)
                lastHashed = (frame, md5, size)
                let pts = frame.pts ?? Int64(frames)
                hashes!.entries.append(.init(stream: 0, dts: pts, pts: pts, duration: 1, size: size, md5: md5))
            }
            if let path = o.snapshots[frames] { try PNGFile.write(try frame.rgbImage(), to: path) }
            for p in try video.encode(frame) { try muxer.write(p, stream: videoStream) }
            frames += 1
            try mixFrame()
            try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: false)
            if Date().timeIntervalSince(lastReport) >= 0.25 {
                lastReport = Date()
                report(.progress, frames: frames, total: max(expectedFrames, frames), started: started)
            }
        }
        if let error = failure.error { throw error }
        for p in try video.encode(nil) { try muxer.write(p, stream: videoStream) }
        try mixFrame(true)
        try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: true)
        for p in try audio.encode(nil) { try muxer.write(p, stream: audioStream) }
        try muxer.finish()
        if let hashes, let hashOutput {
            try FileWriter.write(Data(hashes.text.utf8), to: hashOutput.temporary)
        }
        report(.done, frames: frames, total: frames, started: started)
        return frames
    }

    private func report(_ event: RenderProgress.Event, frames: Int, total: Int, started: Date) {
        let elapsed = max(Date().timeIntervalSince(started), 1e-6)
        let fps = Double(frames) / elapsed
        let eta: Double? = (event == .progress && fps > 0) ? Double(total - frames) / fps : (event == .done ? 0 : nil)
        onProgress(RenderProgress(event: event, frame: frames, totalFrames: total,
                                  percent: total > 0 ? min(100, 100 * Double(frames) / Double(total)) : 0,
                                  fps: fps, eta: eta, speed: fps / Double(options.fps), output: options.output))
    }
}

/// The output audio format (DESIGN.md): AAC-LC 48 kHz stereo ~192 kbit/s.
enum AudioFormat {
    static let sampleRate = 48000
    static let bitrate = 192_000
}

/// Stereo samples waiting to be encoded.
struct SampleFifo {
    private var left: [Float] = [], right: [Float] = []
    private var head = 0
    var count: Int { left.count - head }

    mutating func append(_ channels: [[Float]], dropping skip: Int) {
        guard channels.count >= 2, skip < channels[0].count else { return }
        left.append(contentsOf: channels[0][skip...])
        right.append(contentsOf: channels[1][skip...])
    }
    mutating func appendSilence(_ n: Int) {
        guard n > 0 else { return }
        left.append(contentsOf: repeatElement(0, count: n))
        right.append(contentsOf: repeatElement(0, count: n))
    }
    mutating func take(_ n: Int) -> [[Float]] {
        let out = [Array(left[head..<head + n]), Array(right[head..<head + n])]
        head += n
        if head > 1 << 16 { left.removeFirst(head); right.removeFirst(head); head = 0 }
        return out
    }
}

/// Values a stage thread hands back; read only after joining it.
final class StageResults: @unchecked Sendable {
    var sourceEnd = 0.0
    var reused = 0
}

/// The first error of any stage; the others stop when they see it.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?
    /// A cancellation (signal, closed stdout) counts as the first error once requested.
    var error: Error? { lock.lock(); defer { lock.unlock() }; return first ?? Cancellation.error }
    func record(_ error: Error) { lock.lock(); if first == nil { first = error }; lock.unlock() }
}

/// A pipeline stage on its own thread, joinable.
final class StageThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the stage to end; safe to call more than once and from several threads.
    func join() {
        lock.lock()
        defer { lock.unlock() }
        if finished { return }
        done.wait()
        finished = true
    }
}
