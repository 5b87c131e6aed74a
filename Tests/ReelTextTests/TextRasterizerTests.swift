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
