import XCTest
@testable import ReelKit
import ReelMedia
import ReelText

/// The render's caption layout keeps words and emphasis spans whole, with the real fonts
/// and the real line width (SubtitleTrack.blockLayout, which render and `reel captions` share).
final class CaptionWordTests: XCTestCase {
    func track(sizeZh: Int, segmenter: WordSegmenter = .standard()) throws -> SubtitleTrack {
        var style = CaptionStyle()
        style.chinese.size = sizeZh
        style.chineseMinimumSize = min(style.chineseMinimumSize, sizeZh)
        return try SubtitleTrack(cues: [], style: style, canvasWidth: 1080, canvasHeight: 1920, safeArea: .douyin, fps: 30,
                                 captionBottom: 1400, segmenter: segmenter)
    }

    /// Positions where the laid-out lines of `plain` break.
    func breaks(_ lines: [String]) -> [Int] {
        var p = 0
        return lines.dropLast().map { p += $0.count; return p }
    }

    /// An emphasis span is never split, at any size where the text takes two lines, though the
    /// segmenter alone would break it (a made-up phrase it does not know as one word).
    func testEmphasisSpanStaysWhole() throws {
        let marked = "今天给大家看看这个{超级无敌好用的新功能}到底怎么样"
        let plain = EmphasisMarkup.parse(marked).plain
        let span = Array(plain).firstRange(of: Array("超级无敌好用的新功能"))!
        var tornWithout = 0, twoLineLayouts = 0
        // Up to 84 px the 10-Character span fits the 840 px line; wider, it must break (emergency).
        for size in stride(from: 48, through: 84, by: 4) {
            let t = try track(sizeZh: size)
            let b = try XCTUnwrap(t.blockLayout(marked, style: t.style.chinese, minimum: size, language: "zh", maxLines: 4))
            XCTAssertEqual(b.lines.joined(), plain)
            if b.lines.count > 1 { twoLineLayouts += 1 }
            for p in breaks(b.lines) { XCTAssertFalse(p > span.lowerBound && p < span.upperBound, "span split at \(size): \(b.lines)") }
            // The emphasized runs are exactly the span.
            let emphasized = b.runs.flatMap { $0 }.filter(\.emphasized).map(\.text).joined()
            XCTAssertEqual(emphasized, "超级无敌好用的新功能")
            let bare = try XCTUnwrap(t.blockLayout(plain, style: t.style.chinese, minimum: size, language: "zh", maxLines: 4))
            tornWithout += breaks(bare.lines).filter { $0 > span.lowerBound && $0 < span.upperBound }.count
        }
        XCTAssertGreaterThan(twoLineLayouts, 3)
        let big = try track(sizeZh: 96)
        let oversized = try XCTUnwrap(big.blockLayout(marked, style: big.style.chinese, minimum: 96, language: "zh", maxLines: 4))
        XCTAssertEqual(oversized.lines.joined(), plain, "a span wider than the line is broken, not dropped")
        XCTAssertGreaterThan(tornWithout, 0, "without markup the span is broken at some size")
    }

    func testUnitsAreWordsPlusEmphasisRuns() {
        let (plain, flags) = EmphasisMarkup.parse("AI大神{卡帕西}说抖音")
        let units = SubtitleTrack.units(plain: plain, emphasized: flags, segmenter: .standard())
        let strings = Set(units.map { String(Array(plain)[$0]) })
        XCTAssertTrue(strings.isSuperset(of: ["卡帕西", "抖音", "大神"]), "\(strings)")
    }

    /// `subtitles.lexicon` in a plan is relative to the plan, and its words are kept whole; a
    /// lexicon that is not text is refused as invalid input (65), a missing one as missing (66).
    func testPlanLexiconKeyAndBadFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-lexicon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "呱呱鸭智能相机\n".write(to: dir.appendingPathComponent("names.txt"), atomically: true, encoding: .utf8)
        let plan = dir.appendingPathComponent("plan.yaml")
        try "source: rec.mp4\nsubtitles: {file: talk.srt, lexicon: names.txt}\n".write(to: plan, atomically: true, encoding: .utf8)
        var o = RenderOptions(input: "", output: "")
        try Plan.read(path: plan.path).apply(to: &o, directory: dir.path)
        XCTAssertEqual(o.lexicon, dir.appendingPathComponent("names.txt").path)
        let words = try o.wordSegmenter().words(in: "试一下呱呱鸭智能相机吧")
        XCTAssertTrue(words.contains(3..<10), "\(words)")

        try Data([0xFF, 0xFE, 0x00, 0xD8]).write(to: dir.appendingPathComponent("bad.txt"))
        o.lexicon = dir.appendingPathComponent("bad.txt").path
        XCTAssertThrowsError(try o.wordSegmenter()) { XCTAssertEqual(($0 as? MediaError)?.kind, .invalidInput) }
        o.lexicon = dir.appendingPathComponent("none.txt").path
        XCTAssertThrowsError(try o.wordSegmenter()) { XCTAssertEqual(($0 as? MediaError)?.kind, .notFound) }
    }
}
