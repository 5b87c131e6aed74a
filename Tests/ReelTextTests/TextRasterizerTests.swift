import XCTest
@testable import ReelText

final class TextRasterizerTests: XCTestCase {
    static let zh = TextStyle(font: "Noto Sans CJK SC", size: 64, outlineWidth: 5, shadowOffset: (0, 4),
                              shadowBlur: 6, shadowColor: RGBA(0, 0, 0, 150))

    func testRendersChineseWithOutlineAndShadow() throws {
        let r = try TextRasterizer()
        let image = try r.render(lines: [[TextRun("卡帕西说："), TextRun("视频", emphasized: true), TextRun("可以被直接优化了。")]], style: Self.zh)
        XCTAssertGreaterThan(image.width, 64 * 12)
        XCTAssertGreaterThan(image.height, 64)
        let opaque = stride(from: 3, to: image.pixels.count, by: 4).filter { image.pixels[$0] == 255 }.count
        XCTAssertGreaterThan(opaque, 5000, "glyphs drawn")
        XCTAssertTrue(r.missingCharacters.isEmpty, "\(r.missingCharacters)")
        if let dump = ProcessInfo.processInfo.environment["REEL_TEXT_DUMP"] {
            try Data(image.pixels).write(to: URL(fileURLWithPath: dump))
            print("dumped \(image.width)x\(image.height)")
        }
    }

    /// Emoji come from the colour emoji font through fontconfig fallback, drawn in colour.
    func testEmojiFallbackIsDrawnInColour() throws {
        let r = try TextRasterizer()
        let image = try r.render(lines: [[TextRun("太强了🔥")]], style: Self.zh)
        XCTAssertTrue(r.missingCharacters.isEmpty, "missing: \(r.missingCharacters)")
        var orange = 0
        for i in stride(from: 0, to: image.pixels.count, by: 4) where image.pixels[i + 3] > 200 {
            if Int(image.pixels[i]) > Int(image.pixels[i + 2]) + 80 && image.pixels[i] > 150 { orange += 1 }
        }
        XCTAssertGreaterThan(orange, 300, "the fire emoji should be drawn in colour")
        XCTAssertTrue(r.usedFonts.contains { $0.lowercased().contains("emoji") }, "\(r.usedFonts)")
    }

    func testCharacterNoFontHasIsReported() throws {
        let r = try TextRasterizer()
        // U+10FFFD is a private-use code point no font maps.
        let missing = try r.missing(in: "你好\u{10FFFD}", font: "Noto Sans CJK SC")
        XCTAssertEqual(missing, ["\u{10FFFD}"])
    }

    func testMeasureGrowsWithText() throws {
        let r = try TextRasterizer()
        let en = TextStyle(font: "Noto Sans", size: 40)
        XCTAssertGreaterThan(r.measure("Video is directly optimizable", style: en), r.measure("Video", style: en))
        XCTAssertEqual(r.measure("视频", style: Self.zh), 128, accuracy: 4)
    }

    func testEmphasisMarkup() {
        let (plain, flags) = EmphasisMarkup.parse("讲{卡帕西}的**TikTok**观点")
        XCTAssertEqual(plain, "讲卡帕西的TikTok观点")
        XCTAssertEqual(flags, [false, true, true, true, false] + Array(repeating: true, count: 6) + [false, false])
    }
}

/// Every character reel's example material uses resolves to a real glyph (no .notdef box)
/// with the default caption fonts and fontconfig fallback.
final class GlyphCoverageTests: XCTestCase {
    /// The narration lines of the Karpathy explainer (hook, the four points, why (4) matters, close).
    static let narration = """
    TikTok跟可能实现的相比，根本不算什么！
    今天聊聊AI大神卡帕西（Andrej Karpathy）关于Veo 3的最新推文。
    他说：视频生成有几个宏观层面，可能还没被充分认识到。
    第一，视频是输入大脑带宽最高的方式——图表、动画，一看就懂。
    第二，视频最轻松、最有趣；大多数人不爱读写，但人人都爱看视频。
    第三，制作视频的门槛正在趋近于0（-> 0）。
    第四，也是最重要的：视频第一次可以被“直接优化”了。
    以前，平台只能在人类创作的有限视频里做索引、排序、推荐……
    现在，神经网络生成的视频是可微的，可以用梯度下降去“碾压”任意目标：互动率、瞳孔放大、广告点击。
    卡帕西说：“我不太确定我们会喜欢‘最优’的样子。” 你怎么看？🤔 评论区聊聊👇
    """

    func testExampleTextHasNoMissingGlyphs() throws {
        let r = try TextRasterizer()
        var text = Self.narration
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["bilingual.srt", "zh.srt", "en.srt", "talk.vtt", "talk.ass", "golden.srt"] {
            text += try String(contentsOf: root.appendingPathComponent("Fixtures/subtitles/\(name)"), encoding: .utf8)
        }
        let tweet = root.deletingLastPathComponent().appendingPathComponent("shared/example/tweet.txt")
        if let post = try? String(contentsOf: tweet, encoding: .utf8) { text += post }
        XCTAssertEqual(try r.missing(in: text, font: "Noto Sans CJK SC"), [], "characters without a glyph")
    }
}
