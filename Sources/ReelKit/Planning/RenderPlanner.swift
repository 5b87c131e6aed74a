import Foundation
import ReelMedia
import ReelText

/// Turns options (flags on top of a plan) into a `RenderJob`: validates every number, probes
/// the recording, finds the crop, lays out the canvas, reads the subtitles, picks the hook,
/// builds the edit list and chooses the audio sources. It writes nothing and decodes only
/// what a decision needs (crop finding, leading black, the hook's voice levels).
public struct RenderPlanner: Sendable {
    private let onWarning: @Sendable (String) -> Void

    public init(onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onWarning = onWarning
    }

    /// The output's frame rate and size (`reel captions` lays captions out for them too).
    public static func checkFrame(_ o: RenderOptions) throws {
        guard RenderOptions.allowedFrameRates.contains(o.fps) else {
            throw MediaError(.usage, path: "", "--fps \(o.fps) is not supported (use 25, 30, 50 or 60)")
        }
        guard o.width >= 64, o.height >= 64, o.width <= 4096, o.height <= 4096, o.width % 2 == 0, o.height % 2 == 0 else {
            throw MediaError(.usage, path: "", "--size \(o.width)x\(o.height) must be even and between 64 and 4096")
        }
    }

    /// The checks that need no input file opened: numbers, the encoder, files that may be
    /// read or written. A render runs them before it claims its output.
    public static func check(_ o: RenderOptions) throws {
        try checkFrame(o)
        guard (0...51).contains(o.crf) else { throw MediaError(.usage, path: "", "--crf \(o.crf) must be 0…51") }
        // libavfilter aborts the process on a negative thread count.
        guard NumberRange.threads.contains(o.threads) else { throw MediaError(.usage, path: "", "--threads \(o.threads) must be 0…64") }
        try checkRanges(o)
        guard Encoder.exists(o.encoder) else {
            throw MediaError(.unavailable, path: o.encoder, "no such encoder in this libavcodec (libx264 is the default)")
        }
        try o.checkFiles()
    }

    /// Every bounded number of the options, wherever it came from. Flags and plan keys are
    /// checked where they are read (so the message names the flag or the key path); this
    /// is the one place that holds for any `RenderOptions` (a library caller, a merged plan).
    static func checkRanges(_ o: RenderOptions) throws {
        let plan = o.planPath
        func fail(_ e: RenderFlags.Invalid) -> MediaError {
            plan.map { MediaError(.invalidInput, path: $0, e.message) } ?? MediaError(.usage, path: "", e.message)
        }
        do {
            _ = try NumberRange.check(o.loudness, plan == nil ? "--loudness" : "audio.loudness", NumberRange.loudness)
            _ = try NumberRange.check(o.truePeak, "audio.true_peak", NumberRange.truePeak)
            _ = try NumberRange.check(o.musicVolume, plan == nil ? "--music-volume" : "audio.music_volume", NumberRange.musicVolume)
            _ = try NumberRange.check(o.duckDepth, plan == nil ? "--duck" : "audio.duck", NumberRange.duck)
            _ = try NumberRange.check(o.voiceStart, plan == nil ? "--voice-start" : "audio.voice_start", NumberRange.seconds)
            _ = try NumberRange.check(o.hookZoom, plan == nil ? "--hook-zoom" : "hook.zoom", NumberRange.hookZoom)
            _ = try NumberRange.check(o.captions.chinese.size, plan == nil ? "--caption-size-zh" : "subtitles.size_zh", NumberRange.captionSize)
            _ = try NumberRange.check(o.captions.english.size, plan == nil ? "--caption-size-en" : "subtitles.size_en", NumberRange.captionSize)
            _ = try NumberRange.check(o.captions.bottomMargin, plan == nil ? "--caption-margin" : "subtitles.margin", NumberRange.canvasPixels)
            if let p = o.presenter {
                _ = try NumberRange.check(p.keySimilarity, plan == nil ? "--key-similarity" : "presenter.key_similarity", NumberRange.keySimilarity)
                _ = try NumberRange.check(p.keyBlend, plan == nil ? "--key-blend" : "presenter.key_blend", NumberRange.keyBlend)
                _ = try NumberRange.check(p.start, plan == nil ? "--presenter-start" : "presenter.start", NumberRange.seconds)
                if let v = p.scale { _ = try NumberRange.check(v, plan == nil ? "--presenter-scale" : "presenter.scale", NumberRange.presenterScale) }
                if let v = p.margin { _ = try NumberRange.check(v, plan == nil ? "--presenter-margin" : "presenter.margin", NumberRange.canvasPixels) }
            }
        } catch let e as RenderFlags.Invalid { throw fail(e) }
    }

    /// Makes every decision of the render `options` describe.
    public func plan(_ o: RenderOptions) throws -> RenderJob {
        try Self.check(o)
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
        let presenterReader = try o.presenter.map { try PresenterSource.open($0, fps: o.fps, threads: o.threads, limits: o.limits, deinterlace: o.deinterlace) }
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
        // The layers are built here to check them (fonts, sticker images, subtitle files)
        // before any work; the pipeline builds them again from the job.
        let composer = RenderLayers.composer(options: o, source: source, crop: crop, layout: layout)
        let presenter = try RenderLayers.presenter(options: o, reader: presenterReader, layout: layout)
        _ = try RenderLayers.stickers(options: o, presenter: presenter)
        let segmenter = try o.wordSegmenter()
        let subtitles = try RenderLayers.subtitles(options: o, captionBottom: layout.captionBottom, screenPanel: composer.panel,
                                                   segmenter: segmenter, onWarning: onWarning)
        _ = try RenderLayers.titles(options: o, segmenter: segmenter)
        let sourceDuration = videoInfo.duration ?? info.duration ?? 0
        // An absurd declared duration (a forged header) would overflow frame arithmetic.
        guard sourceDuration.isFinite, sourceDuration >= 0, sourceDuration <= o.limits.duration else {
            throw o.limits.exceeded(String(format: "the recording declares %.0f s", sourceDuration), "duration", path: o.input)
        }
        // The first frame is the cover: black or blank frames at the start are skipped (LeadingBlank).
        let skipped = o.keepLeadingBlank || o.edit != nil || o.trimStart != nil ? nil
            : try LeadingBlank.contentStart(path: o.input, limit: min(10, max(0, sourceDuration / 2)))
        var (edit, hookReason) = try makeEditList(o, sourceDuration: sourceDuration, bodyStart: skipped ?? 0, presenter: presenter,
                                                  cues: subtitles?.cues ?? [])
        var expected = Self.expectedFrames(edit: edit, sourceDuration: sourceDuration, fps: o.fps)
        if let t = o.previewAt {
            let n = Self.previewFrame(at: t, fps: o.fps)
            guard n < expected, let one = edit.single(frame: n) else {
                throw MediaError(.usage, path: o.input, String(format: "--at %.2f is past the end of the video (%.2f s)", t, Double(expected) / Double(o.fps)))
            }
            edit = one
            expected = 1
        }
        // A preview has no sound: its audio sources are not looked at.
        let audio = o.previewAt != nil ? AudioSources()
            : try AudioSources.decide(options: o, edit: edit, presenter: presenter, recordingHasAudio: info.audio != nil,
                                      sourceDuration: sourceDuration)
        let encoder = RenderJob.EncoderSettings(encoder: o.encoder, width: o.width, height: o.height, fps: o.fps, crf: o.crf,
                                                preset: o.preset, deterministic: o.deterministic, threads: o.deterministic ? 1 : 0,
                                                audioSampleRate: AudioFormat.sampleRate, audioBitrate: AudioFormat.bitrate)
        return RenderJob(options: o, source: source, declaredVideoDuration: videoInfo.duration, sourceDuration: sourceDuration,
                         recordingHasAudio: info.audio != nil, crop: crop, cropReason: featured.summary, template: template,
                         layout: layout, edit: edit, hookReason: hookReason, expectedFrames: expected,
                         skippedLeadingBlank: skipped, audio: audio, encoder: encoder)
    }

    /// The output frame `reel preview --at t` composes: the one on screen at t. A time on a
    /// frame boundary is that frame (2.9 × 30 is 86.99999… in binary: frame 87, not 86).
    public static func previewFrame(at t: Double, fps: Int) -> Int { max(0, Int((t * Double(fps) + 1e-6).rounded(.down))) }

    /// Output frames, counting an open last segment to the source's stated end.
    static func expectedFrames(edit: EditList, sourceDuration: Double, fps: Int) -> Int {
        edit.totalFrames ?? max(1, edit.segments.last!.outputStart + FrameClock<Int>.slot(of: sourceDuration - edit.segments.last!.sourceStart, fps: fps))
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

    /// The output's ranges: the plan's edit list or the trim, the presenter's end when it
    /// cuts the video, and the hook in front. Returns why an automatic hook was chosen.
    private func makeEditList(_ o: RenderOptions, sourceDuration: Double, bodyStart: Double, presenter: PresenterSource?,
                              cues: [Cue]) throws -> (EditList, String?) {
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
}
