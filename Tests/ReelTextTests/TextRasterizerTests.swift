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
