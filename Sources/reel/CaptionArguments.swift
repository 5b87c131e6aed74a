import ArgumentParser
import Foundation
import ReelKit

/// The caption flags `reel render` (and preview, plan, demo through it) and `reel captions`
/// share: one spelling, one help text, one range check, so the linter lays captions out with
/// exactly what the render would get.
struct CaptionArguments: ParsableArguments {
    @Option(name: .customLong("subtitles-en"), help: "English subtitles in their own file, merged by time with the main subtitles.") var subtitlesEnglish: String?
    @Option(name: .customLong("subtitles-encoding"), help: "Subtitle text encoding: utf-8, gb18030, gbk, utf-16 (default: detected).") var subtitlesEncoding: String?
    @Option(name: .customLong("font-zh"), help: "Font family or file for the Chinese line (default: Noto Sans CJK SC).") var fontChinese: String?
    @Option(name: .customLong("font-en"), help: "Font family or file for the English line (default: Noto Sans CJK SC).") var fontEnglish: String?
    @Option(name: .customLong("caption-size-zh"), help: "Chinese caption size in pixels (default 64 at 1080 wide).") var captionSizeChinese: Int?
    @Option(name: .customLong("caption-size-en"), help: "English caption size in pixels (default 40).") var captionSizeEnglish: Int?
    @Option(help: "Words captions never break inside (new names, products), one a line.") var lexicon: String?

    /// Range-checks the sizes (`RenderFlags.Invalid` naming the flag) and sets every flag given.
    func apply(to o: inout RenderOptions) throws {
        for (value, name) in [(captionSizeChinese, "--caption-size-zh"), (captionSizeEnglish, "--caption-size-en")] {
            if let v = value { _ = try NumberRange.check(v, name, NumberRange.captionSize) }
        }
        if let v = subtitlesEnglish { o.subtitlesEnglish = v }
        if let v = subtitlesEncoding { o.subtitlesEncoding = v }
        if let f = fontChinese { o.captions.chinese.font = f }
        if let f = fontEnglish { o.captions.english.font = f }
        // A size below the default floor lowers the floor too (a long cue shrinks no further).
        if let v = captionSizeChinese { o.captions.chinese.size = v; o.captions.chineseMinimumSize = min(o.captions.chineseMinimumSize, v) }
        if let v = captionSizeEnglish { o.captions.english.size = v; o.captions.englishMinimumSize = min(o.captions.englishMinimumSize, v) }
        if let v = lexicon { o.lexicon = v }
    }
}
