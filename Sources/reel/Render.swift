import ArgumentParser
import Foundation
import ReelKit
import ReelMedia
import ReelText

struct Render: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        abstract: "Render a screen recording as a 9:16 H.264 MP4 (1080x1920, 30 fps, AAC 48 kHz stereo).",
        discussion: """
        The recording (or its --crop) is fitted to the width in the upper-middle of the canvas, \
        inside the Douyin safe area, over a blurred, darkened fill made from the same frame. \
        By default a landscape recording that the screen band would shrink is cropped to its \
        content column (--crop auto); portrait and small recordings keep the whole picture; \
        --crop none always keeps it. reel estimates the size of the featured text on the phone \
        and warns below 18 px (on a 1080-wide canvas), suggesting a tighter --crop.

        --crop \(ContentRegionDetector.explanation)

        \(ReelExit.help)
        """
    )

    @OptionGroup var arguments: RenderArguments
    @Flag(help: "At the end, print to stderr what each stage (decode, presenter, compose, encode, audio, mux) did: busy time, time waiting on its input and its output, frames, frames reused unchanged, the fullest its input queue got.") var stats = false

    func run() throws {
        MediaLog.configure(verbose: arguments.verbose)
        let options: RenderOptions
        do { options = try arguments.makeOptions() } catch { fail(error) }
        let printer = ProgressPrinter(mode: options.progress)
        ParentWatch.startIfBatchChild()
        let fault = TestFault(source: options.input)
        do {
            let show: @Sendable (RenderProgress) -> Void = { p in
                fault?.trigger()
                printer.show(p)
            }
            let (job, outputs) = try RenderPlanner(onWarning: { printer.warn($0) }).planClaimingOutputs(options)
            let summary = try RenderPipeline(job: job, onProgress: show).run(outputs: outputs)
            printer.finished(summary)
            if stats { Console.error(StageStats.table(summary.stages) + "\n") }
        } catch {
            printer.clearLine()
            fail(error)
        }
    }
}

/// Every flag of `reel render` (shared with `reel preview`), and how they become options:
/// the plan first (when the input is one), then each flag given on top of it.
struct RenderArguments: ParsableArguments {
    @Argument(help: "The screen recording (any format libav decodes), or a plan file (.yaml, .yml, .json).") var input: String
    @Option(name: .shortAndLong, help: "The MP4 to write (a plan may name it).") var output: String?
    @Option(parsing: .unconditional, help: "Region of the recording to feature: x:y:w:h in displayed pixels, 'auto' or 'none' (default: auto for a landscape recording the screen band would shrink, else none).") var crop: String?
    @Option(help: "Part of the recording to use, in seconds: start:end (either may be empty).") var trim: String?
    @Option(help: "Output frame rate: 25, 30 (default), 50 or 60.") var fps: Int?
    @Option(help: "Output size WxH (default 1080x1920).") var size: String?
    @Option(help: "Background: 'blur' (the recording, blurred and darkened) or a colour #RRGGBB.") var background: String?
    @Option(help: "H.264 constant rate factor (0–51, lower is better quality; default 20).") var crf: Int?
    @Option(help: "Encoder speed preset (libx264: ultrafast…veryslow; default veryfast).") var preset: String?
    @Option(help: "Any libavcodec H.264 encoder by name (libx264, h264_nvenc, h264_vaapi, …).") var encoder: String?
    @Option(help: "Decoder and filter threads (0 = automatic).") var threads: Int?
    @Flag(help: "Byte-identical output across runs (single-threaded encoder, bit-exact flags, no creation time).") var deterministic = false

    @Option(help: "The presenter: a video (MP4/MOV/WebM, alpha used when present) or an image (PNG/JPEG/GIF).") var presenter: String?
    @Option(help: "Key out a green-screen background: green, blue or #RRGGBB.") var key: String?
    @Option(name: .customLong("key-similarity"), help: "How far from the key colour is still keyed (0–1, default 0.14).") var keySimilarity: Double?
    @Option(name: .customLong("key-blend"), help: "Soft edge of the key (0–1, default 0.08).") var keyBlend: Double?
    @Option(help: "Shape of the presenter: none, circle or rounded.") var mask: String?
    @Option(help: "Layout template: split (screen above, presenter below), pip (presenter in a lower corner) or screen.") var layout: String?
    @Option(help: "split: the y of the line between screen and presenter, in canvas pixels.") var seam: Int?
    @Option(name: .customLong("presenter-scale"), help: "Presenter width as a fraction of the canvas width (places it by anchor instead of the template).") var presenterScale: Double?
    @Option(name: .customLong("presenter-anchor"), help: "bottom-left, bottom-right, bottom, center, top, top-left or top-right.") var presenterAnchor: String?
    @Option(name: .customLong("presenter-margin"), help: "Distance from the safe area's edges, in pixels.") var presenterMargin: Int?
    @Option(name: .customLong("presenter-fill"), help: "contain (show all of it) or cover (fill the box, keep the face).") var presenterFill: String?
    @Option(name: .customLong("presenter-start"), help: "Second of the recording at which the presenter starts.") var presenterStart: Double?
    @Option(name: .customLong("presenter-fit"), help: "A presenter shorter than the video: loop, hold (last frame) or cut (end the video).") var presenterFit: String?
    @Flag(name: .customLong("no-presenter-audio"), help: "Do not use the presenter's sound as the voice.") var noPresenterAudio = false
    @Option(parsing: .singleValue, help: "A sticker, e.g. 'text=AI,layer=presenter,x=0.5,y=0.12,size=0.18,color=#fff,rotate=-6' (or image=FILE); track=on follows what it sits on in the presenter's picture. Repeatable.") var sticker: [String] = []

    @Option(help: "Hook played first: START[:DURATION] in seconds (duration 1–5, default 2), or auto[:DURATION].") var hook: String?
    @Flag(name: .customLong("no-hook"), help: "No hook, even if the plan has one.") var noHook = false
    @Option(name: .customLong("hook-title"), help: "Headline drawn large during the hook (the cover).") var hookTitle: String?
    @Option(name: .customLong("hook-title-en"), help: "English line under the headline.") var hookTitleEnglish: String?
    @Option(name: .customLong("hook-keywords"), help: "Comma-separated words that make a window a better hook (--hook auto).") var hookKeywords: String?
    @Option(name: .customLong("hook-zoom"), help: "Punch-in over the hook, e.g. 1.08 (default 1 = none).") var hookZoom: Double?
    @Flag(name: .customLong("no-hook-flash"), help: "No white flash at the cut from the hook into the body.") var noHookFlash = false
    @Option(help: "Deinterlace the recording (bwdif): auto (when the stream or its frames say interlaced), on, off.") var deinterlace: String?
    @Flag(name: .customLong("keep-black-start"), help: "Keep black or blank frames at the start of the recording (skipped by default: the first frame is the cover).") var keepBlackStart = false

    @Option(help: "A narration file: the voice, replacing the presenter's sound.") var voice: String?
    @Option(name: .customLong("voice-start"), help: "Second of the recording at which the narration starts.") var voiceStart: Double?
    @Option(name: .customLong("screen-audio"), help: "The recording's own sound: on or off (default: on only when there is no voice).") var screenAudio: String?
    @Option(help: "Background music (looped or trimmed to fit, faded, ducked under the voice).") var music: String?
    @Option(name: .customLong("music-volume"), help: "Music level relative to the voice, in dB (default -12).") var musicVolume: Double?
    @Option(help: "How far the music dips under the voice, in dB (default 12).") var duck: Double?
    @Option(help: "Integrated loudness of the mix in LUFS (default -14).") var loudness: Double?

    @Option(help: "Subtitles to burn in: SRT, WebVTT or ASS; a cue's Chinese line(s) then its English line(s).") var subtitles: String?
    /// --subtitles-en, --subtitles-encoding, --font-zh/-en, --caption-size-zh/-en, --lexicon (shared with `reel captions`).
    @OptionGroup var captionFlags: CaptionArguments
    @Option(help: "A title shown in the top safe band (during the body when there is a hook).") var title: String?
    @Option(name: .customLong("title-en"), help: "English line under the title.") var titleEnglish: String?
    @Option(name: .customLong("caption-margin"), help: "Distance of the captions above the bottom safe area, in pixels (default 24).") var captionMargin: Int?
    @Option(name: .customLong("caption-box"), help: "Box behind captions: #RRGGBBAA always (e.g. #00000099), auto (only where they lie over the screen, the default) or none.") var captionBox: String?
    @Flag(help: "Overwrite the output if it exists.") var force = false
    @Option(parsing: .singleValue, help: "Raise a bound on the work a render takes: cue-length=2000, cues=50000, duration=14400 (s), picture=16384 (px), image-pixels=50000000, plan-bytes=1048576 (a plan's aliases may expand it 16 times), plan-aliases=64. Repeatable.") var limit: [String] = []
    @Option(name: .customLong("frame-hashes"), help: "Write the composed frames' checksums (framemd5 format) to this file.") var frameHashes: String?
    @Option(help: "Progress: 'json' prints one JSON event per line on stdout.") var progress: String?
    @Flag(name: .shortAndLong, help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Show libav's own messages.") var verbose = false
    @Option(name: .customLong("plan-max-bytes"), help: "Same as --limit plan-bytes=N (an older spelling).") var planMaxBytes: Int?
    @Option(name: .customLong("plan-max-aliases"), help: "Same as --limit plan-aliases=N (an older spelling).") var planMaxAliases: Int?

    /// The bounds a plan is checked against before it is decoded: `--limit plan-bytes=N` and
    /// `plan-aliases=N` (and their older spellings) are read before the plan, the other limits after.
    func planLimits() throws -> PlanLimits {
        var limits = ResourceLimits()
        do {
            for l in limit { try limits.set(l) }
            if let v = planMaxBytes { try limits.set("plan-bytes=\(v)", flag: "--plan-max-bytes \(v)") }
            if let v = planMaxAliases { try limits.set("plan-aliases=\(v)", flag: "--plan-max-aliases \(v)") }
        } catch let e as RenderFlags.Invalid {
            throw MediaError(.usage, path: "", e.message)
        }
        return limits.plan
    }

    /// The options from the plan (if the input is one), then every flag given on top.
    func makeOptions() throws -> RenderOptions {
        var o = RenderOptions(input: input, output: output ?? "")
        if Plan.isPlan(input) {
            o.planPath = input
            let plan = try Plan.read(path: input, limits: planLimits())
            guard plan.source != nil else { throw MediaError(.invalidInput, path: input, "source: missing (the screen recording)") }
            do { try plan.apply(to: &o, directory: (input as NSString).deletingLastPathComponent) } catch let e as PlanError {
                throw MediaError(.invalidInput, path: input, e.description)
            } catch let e as RenderFlags.Invalid {
                throw MediaError(.invalidInput, path: input, e.message)
            }
        }
        if let output { o.output = output }
        guard !o.output.isEmpty else { throw MediaError(.usage, path: "", "no output: give -o OUT.mp4 (or output: in the plan)") }
        do {
            try RenderFlags.apply(crop: crop, trim: trim, size: size, background: background, to: &o)
            if let path = presenter { o.presenter = PresenterOptions(path: path) }
            let presenterFlags = [key, mask, presenterFit, presenterFill, presenterAnchor].contains { $0 != nil }
                || [keySimilarity, keyBlend, presenterScale, presenterStart].contains { $0 != nil } || presenterMargin != nil || noPresenterAudio
            if presenterFlags {
                guard var p = o.presenter else { throw RenderFlags.Invalid(message: "presenter options need --presenter FILE") }
                try RenderFlags.applyPresenter(key: key, mask: mask, fit: presenterFit, fill: presenterFill, anchor: presenterAnchor, to: &p)
                if let v = keySimilarity { p.keySimilarity = try NumberRange.check(v, "--key-similarity", NumberRange.keySimilarity) }
                if let v = keyBlend { p.keyBlend = try NumberRange.check(v, "--key-blend", NumberRange.keyBlend) }
                if let v = presenterScale { p.scale = try NumberRange.check(v, "--presenter-scale", NumberRange.presenterScale) }
                if let v = presenterMargin { p.margin = try NumberRange.check(v, "--presenter-margin", NumberRange.canvasPixels) }
                if let v = presenterStart { p.start = try NumberRange.check(v, "--presenter-start", NumberRange.seconds) }
                if noPresenterAudio { p.useAudio = false }
                o.presenter = p
            }
            if !sticker.isEmpty { o.stickers = try sticker.map(StickerSpec.parse) }
            if let l = layout {
                guard let t = LayoutTemplate(rawValue: l) else { throw RenderFlags.Invalid(message: "--layout \(l): expected split, pip or screen") }
                // A plan's layout numbers were chosen for its own template: another template
                // starts from its own numbers (and --seam, below).
                if let planned = o.layout, planned != t { o.layoutOverrides = LayoutOverrides() }
                o.layout = t
            }
            if let v = seam { o.layoutOverrides.seam = try NumberRange.check(v, "--seam", NumberRange.canvasPixels) }
            if let h = hook { o.hook = try RenderFlags.hook(h) }
            if noHook { o.hook = nil }
            if let v = hookTitle { o.hookTitle = v }
            if let v = hookTitleEnglish { o.hookTitleEnglish = v }
            if let v = hookKeywords { o.hookKeywords = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            if let v = hookZoom { o.hookZoom = try NumberRange.check(v, "--hook-zoom", NumberRange.hookZoom) }
            if noHookFlash { o.hookFlash = false }
            if keepBlackStart { o.keepLeadingBlank = true }
            if let v = deinterlace { o.deinterlace = try RenderFlags.deinterlace(v) }
            if let v = voice { o.voice = v }
            if let v = voiceStart { o.voiceStart = try NumberRange.check(v, "--voice-start", NumberRange.seconds) }
            if let v = screenAudio {
                guard v == "on" || v == "off" else { throw RenderFlags.Invalid(message: "--screen-audio \(v): expected on or off") }
                o.screenAudio = v == "on"
            }
            if let v = music { o.music = v }
            if let v = musicVolume { o.musicVolume = try NumberRange.check(v, "--music-volume", NumberRange.musicVolume) }
            if let v = duck { o.duckDepth = try NumberRange.check(v, "--duck", NumberRange.duck) }
            if let v = loudness { o.loudness = try NumberRange.check(v, "--loudness", NumberRange.loudness) }
            if let v = crf { o.crf = try NumberRange.check(v, "--crf", NumberRange.crf) }
            if let v = threads { o.threads = try NumberRange.check(v, "--threads", NumberRange.threads) }
            try captionFlags.apply(to: &o)
            for l in limit { try o.limits.set(l) }
            if let v = captionMargin { o.captions.bottomMargin = try NumberRange.check(v, "--caption-margin", NumberRange.canvasPixels) }
        } catch let e as RenderFlags.Invalid {
            throw MediaError(.usage, path: "", e.message)
        } catch let e as StickerSpec.Invalid {
            throw MediaError(.usage, path: "", e.description)
        }
        if let v = fps { o.fps = v }
        if let v = preset { o.preset = v }
        if let v = encoder { o.encoder = v }
        if deterministic { o.deterministic = true }
        if force { o.force = true }
        if let v = frameHashes { o.frameHashes = v }
        if let v = subtitles { o.subtitles = v }
        if let v = title { o.title = v }
        if let v = titleEnglish { o.titleEnglish = v }
        if let box = captionBox, !o.captions.setBox(box) {
            throw MediaError(.usage, path: "", "--caption-box \(box): expected #RRGGBB, #RRGGBBAA, auto or none")
        }
        switch (progress, quiet) {
        case ("json", _): o.progress = .json
        case (nil, true): o.progress = .quiet
        case (nil, false): o.progress = .auto
        case (let other?, _): throw MediaError(.usage, path: "", "--progress \(other): only 'json' is supported")
        }
        return o
    }

}
