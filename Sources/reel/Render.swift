import ArgumentParser
import Foundation
import ReelKit
import ReelMedia
import ReelText

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a screen recording as a 9:16 H.264 MP4 (1080x1920, 30 fps, AAC 48 kHz stereo).",
        discussion: """
        The recording (or its --crop) is fitted to the width in the upper-middle of the canvas, \
        inside the Douyin safe area, over a blurred, darkened fill made from the same frame.

        --crop \(ContentRegionDetector.explanation)

        \(ReelExit.help)
        """
    )

    @Argument(help: "The screen recording (any format libav decodes).") var recording: String
    @Option(name: .shortAndLong, help: "The MP4 to write.") var output: String
    @Option(help: "Region of the recording to feature: x:y:w:h in displayed pixels, or 'auto'.") var crop: String?
    @Option(help: "Part of the recording to use, in seconds: start:end (either may be empty).") var trim: String?
    @Option(help: "Output frame rate: 25, 30, 50 or 60.") var fps: Int = 30
    @Option(help: "Output size WxH.") var size: String = "1080x1920"
    @Option(help: "Background: 'blur' (the recording, blurred and darkened) or a colour #RRGGBB.") var background: String = "blur"
    @Option(help: "H.264 constant rate factor (0–51, lower is better quality).") var crf: Int = 20
    @Option(help: "Encoder speed preset (libx264: ultrafast…veryslow).") var preset: String = "veryfast"
    @Option(help: "Any libavcodec H.264 encoder by name (libx264, h264_nvenc, h264_vaapi, …).") var encoder: String = "libx264"
    @Option(help: "Decoder and filter threads (0 = automatic).") var threads: Int = 0
    @Flag(help: "Byte-identical output across runs (single-threaded encoder, bit-exact flags, no creation time).") var deterministic = false
    @Option(help: "Subtitles to burn in: SRT, WebVTT or ASS; a cue's Chinese line(s) then its English line(s).") var subtitles: String?
    @Option(name: .customLong("subtitles-en"), help: "English subtitles in their own file, merged with --subtitles by time.") var subtitlesEnglish: String?
    @Option(name: .customLong("subtitles-encoding"), help: "Subtitle text encoding: utf-8, gb18030, gbk, utf-16 (default: detected).") var subtitlesEncoding: String?
    @Option(name: .customLong("font-zh"), help: "Font family or file for the Chinese line (default: Noto Sans CJK SC).") var fontChinese: String?
    @Option(name: .customLong("font-en"), help: "Font family or file for the English line (default: Noto Sans CJK SC).") var fontEnglish: String?
    @Option(help: "A title shown for the whole video in the top safe band.") var title: String?
    @Option(name: .customLong("title-en"), help: "English line under the title.") var titleEnglish: String?
    @Option(name: .customLong("caption-size-zh"), help: "Chinese caption size in pixels (default 64 at 1080 wide).") var captionSizeChinese: Int?
    @Option(name: .customLong("caption-size-en"), help: "English caption size in pixels (default 40).") var captionSizeEnglish: Int?
    @Option(name: .customLong("caption-margin"), help: "Distance of the captions above the bottom safe area, in pixels (default 24).") var captionMargin: Int?
    @Option(name: .customLong("caption-box"), help: "Draw a rounded translucent box behind captions, colour #RRGGBBAA (e.g. #00000099).") var captionBox: String?
    @Flag(help: "Overwrite the output if it exists.") var force = false
    @Option(name: .customLong("frame-hashes"), help: "Write the composed frames' checksums (framemd5 format) to this file.") var frameHashes: String?
    @Option(help: "Progress: 'json' prints one JSON event per line on stdout.") var progress: String?
    @Flag(name: .shortAndLong, help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Show libav's own messages.") var verbose = false

    func run() throws {
        MediaLog.configure(verbose: verbose)
        var options = RenderOptions(input: recording, output: output)
        do {
            try RenderFlags.apply(crop: crop, trim: trim, size: size, background: background, to: &options)
        } catch let e as RenderFlags.Invalid {
            fail(MediaError(.usage, path: "", e.message))
        }
        options.fps = fps
        options.crf = crf
        options.preset = preset
        options.encoder = encoder
        options.threads = threads
        options.deterministic = deterministic
        options.force = force
        options.frameHashes = frameHashes
        options.subtitles = subtitles
        options.subtitlesEnglish = subtitlesEnglish
        options.subtitlesEncoding = subtitlesEncoding
        if let f = fontChinese { options.captions.chinese.font = f }
        if let f = fontEnglish { options.captions.english.font = f }
        options.title = title
        options.titleEnglish = titleEnglish
        for (value, name) in [(captionSizeChinese, "--caption-size-zh"), (captionSizeEnglish, "--caption-size-en")] {
            if let v = value, !(12...400).contains(v) { fail(MediaError(.usage, path: "", "\(name) \(v): expected 12…400 pixels")) }
        }
        if let v = captionSizeChinese { options.captions.chinese.size = v; options.captions.chineseMinimumSize = min(options.captions.chineseMinimumSize, v) }
        if let v = captionSizeEnglish { options.captions.english.size = v; options.captions.englishMinimumSize = min(options.captions.englishMinimumSize, v) }
        if let v = captionMargin { options.captions.bottomMargin = max(0, v) }
        if let box = captionBox {
            guard let colour = RGBA(hex: box) else { fail(MediaError(.usage, path: "", "--caption-box \(box): expected #RRGGBB or #RRGGBBAA")) }
            options.captions.box = colour
        }
        switch (progress, quiet) {
        case ("json", _): options.progress = .json
        case (nil, true): options.progress = .quiet
        case (nil, false): options.progress = .auto
        case (let other?, _): fail(MediaError(.usage, path: "", "--progress \(other): only 'json' is supported"))
        }
        let printer = ProgressPrinter(mode: options.progress)
        Interruption.install { _ in printer.interrupted() }
        do {
            let summary = try RenderPipeline(options: options, onProgress: printer.show, onWarning: printer.warn).run()
            printer.finished(summary)
        } catch {
            printer.clearLine()
            fail(error)
        }
    }
}
