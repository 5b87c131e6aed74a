import Foundation
import XCTest
@testable import ReelText

final class SubtitleTests: XCTestCase {
    // MARK: - Helpers

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/subtitles")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    func parse(_ text: String, path: String = "test.srt", encoding: String? = nil) throws -> [Cue] {
        try SubtitleReader.parse(Data(text.utf8), path: path, encoding: encoding)
    }

    /// The SubtitleError thrown by `body` (fails the test if it does not throw one).
    func error(_ body: () throws -> [Cue], file: StaticString = #filePath, line: UInt = #line) -> SubtitleError? {
        do {
            let cues = try body()
            XCTFail("expected a SubtitleError, got \(cues.count) cues", file: file, line: line)
        } catch let e as SubtitleError {
            return e
        } catch {
            XCTFail("expected a SubtitleError, got \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: - SRT

    func testBilingualSRT() throws {
        let cues = try parse("""
        1
        00:00:01,000 --> 00:00:03,500
        卡帕西说：视频可以被直接优化了。
        Karpathy says video can be optimized directly.

        2
        00:00:03,500 --> 00:00:06,000
        第一行中文
        第二行中文
        English one
        English two
        """)
        XCTAssertEqual(cues, [
            Cue(start: 1, end: 3.5, chinese: "卡帕西说：视频可以被直接优化了。",
                english: "Karpathy says video can be optimized directly.", line: 1),
            Cue(start: 3.5, end: 6, chinese: "第一行中文\n第二行中文", english: "English one\nEnglish two", line: 6),
        ])
    }

    func testSingleLanguageFileHasOneSideEmpty() throws {
        let en = try parse("1\n00:00:01,000 --> 00:00:02,000\nHello there\n")
        XCTAssertEqual(en.first?.chinese, "")
        XCTAssertEqual(en.first?.english, "Hello there")
        let zh = try parse("1\n00:00:01,000 --> 00:00:02,000\n你好\n")
        XCTAssertEqual(zh.first?.chinese, "你好")
        XCTAssertEqual(zh.first?.english, "")
    }

    func testCRLFAndBOM() throws {
        let text = "1\r\n00:00:01,000 --> 00:00:02,000  \r\n中文\t \r\nEnglish  \r\n\r\n\r\n\r\n2\r\n00:00:02,500 --> 00:00:03,000\r\nMore\r\n"
        let cues = try SubtitleReader.parse(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)), path: "crlf.srt")
        XCTAssertEqual(cues, [
            Cue(start: 1, end: 2, chinese: "中文", english: "English", line: 1),
            Cue(start: 2.5, end: 3, chinese: "", english: "More", line: 8),
        ])
        // Lone CR line endings (old Mac) give the same line numbers.
        let cr = try parse(text.replacingOccurrences(of: "\r\n", with: "\r"))
        XCTAssertEqual(cr, cues)
        // Explicit utf-8 also drops the BOM.
        let explicit = try SubtitleReader.parse(Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)), path: "crlf.srt", encoding: "UTF-8")
        XCTAssertEqual(explicit, cues)
    }

    func testTimingVariants() throws {
        let cues = try parse("""
        1
        0:00:01.5 --> 0:00:02.25
        one-digit hours and dots

        00:00:03,000-->00:00:04,000 X1:10 X2:20 Y1:5 Y2:9
        no index, no spaces around the arrow, coordinates

        3
        01:02.000 --> 01:03.000
        minutes and seconds only
        4
        1:00:00,000 --> 1:00:01,000
        no blank line before this cue
        """)
        XCTAssertEqual(cues.map(\.start), [1.5, 3, 62, 3600])
        XCTAssertEqual(cues.map(\.end), [2.25, 4, 63, 3601])
        XCTAssertEqual(cues.map(\.english), ["one-digit hours and dots", "no index, no spaces around the arrow, coordinates",
                                             "minutes and seconds only", "no blank line before this cue"])
        XCTAssertEqual(cues.map(\.line), [1, 5, 8, 11])
    }

    /// A timing with no text (or only empty tags) is skipped, not an error.
    func testCueWithoutTextIsSkipped() throws {
        let cues = try parse("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n\n3\n00:00:05,000 --> 00:00:06,000\nkept\n")
        XCTAssertEqual(cues.map(\.english), ["kept"])
        XCTAssertEqual(cues.first?.line, 8)
    }

    func testBlankLineInsideTextContinuesTheCue() throws {
        let cues = try parse("1\n00:00:01,000 --> 00:00:02,000\nfirst part\n\nsecond part\n\n2\n00:00:03,000 --> 00:00:04,000\nnext\n")
        XCTAssertEqual(cues.map(\.english), ["first part\nsecond part", "next"])
    }

    func testTagsStrippedEmphasisKept() throws {
        let cues = try parse("""
        1
        00:00:01,000 --> 00:00:02,000
        {\\an8}<font color="#FFFF00">{卡帕西}</font>说<b>重点</b>
        <i>Watch **TikTok** and {this}</i> — a < b, <Ctrl> stays

        """)
        XCTAssertEqual(cues.first?.chinese, "{卡帕西}说重点")
        XCTAssertEqual(cues.first?.english, "Watch **TikTok** and {this} — a < b, <Ctrl> stays")
    }

    func testChineseLineClassification() {
        XCTAssertTrue(SubtitleReader.isChineseLine("我用 TikTok"))
        XCTAssertTrue(SubtitleReader.isChineseLine("《三体》"))
        XCTAssertTrue(SubtitleReader.isChineseLine("！？"))
        XCTAssertTrue(SubtitleReader.isChineseLine("カタカナ"))
        XCTAssertTrue(SubtitleReader.isChineseLine("“……”"))
        XCTAssertTrue(SubtitleReader.isChineseLine("𠀀"))           // ext B
        XCTAssertTrue(SubtitleReader.isChineseLine("㐀"))           // ext A
        XCTAssertFalse(SubtitleReader.isChineseLine("“Hello” — he said…"))
        XCTAssertFalse(SubtitleReader.isChineseLine("Café crème 2024"))
        XCTAssertFalse(SubtitleReader.isChineseLine("[music]"))
    }

    func testSortedByStartStable() throws {
        let cues = try parse("""
        1
        00:00:05,000 --> 00:00:06,000
        late

        2
        00:00:01,000 --> 00:00:02,000
        early A

        3
        00:00:01,000 --> 00:00:03,000
        early B
        """)
        XCTAssertEqual(cues.map(\.english), ["early A", "early B", "late"])
    }

    func testSameTimingLanguagePairsAreJoined() throws {
        let cues = try parse("""
        1
        00:00:01,000 --> 00:00:02,000
        English first

        2
        00:00:01,000 --> 00:00:02,000
        中文在后
        """)
        XCTAssertEqual(cues, [Cue(start: 1, end: 2, chinese: "中文在后", english: "English first", line: 1)])
    }

    // MARK: - Encodings

    /// "中文" is D6 D0 CE C4 in GB18030/GBK; "，" is A3 AC.
    static let gbkSRT: [UInt8] = Array("1\n00:00:01,000 --> 00:00:02,000\n".utf8) + [0xD6, 0xD0, 0xCE, 0xC4, 0xA3, 0xAC]
        + Array("\nChinese\n".utf8)

    func testGB18030AutoDetected() throws {
        let cues = try SubtitleReader.parse(Data(Self.gbkSRT), path: "gbk.srt")
        XCTAssertEqual(cues, [Cue(start: 1, end: 2, chinese: "中文，", english: "Chinese", line: 1)])
    }

    func testExplicitGBKAndGB18030() throws {
        for name in ["gbk", "GBK", "gb18030", "GB2312", "cp936"] {
            let cues = try SubtitleReader.parse(Data(Self.gbkSRT), path: "gbk.srt", encoding: name)
            XCTAssertEqual(cues.first?.chinese, "中文，", name)
        }
        // A 4-byte GB18030 sequence: U+20000 𠀀 is 95 32 82 36.
        let four = Array("1\n00:00:01,000 --> 00:00:02,000\n".utf8) + [0x95, 0x32, 0x82, 0x36, 0xD6, 0xD0] + [0x0A]
        XCTAssertEqual(try SubtitleReader.parse(Data(four), path: "x.srt", encoding: "gb18030").first?.chinese, "𠀀中")
    }

    func testGBKBytesAsUTF8AreAnErrorNamingTheLine() {
        let e = error { try SubtitleReader.parse(Data(Self.gbkSRT), path: "gbk.srt", encoding: "utf-8") }
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.description, "gbk.srt: line 3: bytes are not valid UTF-8")
    }

    func testUndecodableBytesAreAnError() {
        // 0xFF is neither UTF-8 nor GB18030.
        let bytes = Array("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n".utf8) + [0xFF, 0xFF, 0x80] + [0x0A]
        let e = error { try SubtitleReader.parse(Data(bytes), path: "bad.srt") }
        XCTAssertEqual(e?.line, 6)
        XCTAssertTrue(e?.message.contains("neither valid UTF-8 nor GB18030") ?? false, e?.message ?? "")
    }

    func testDamagedUTF8IsNotDecodedAsGB18030() throws {
        // "中文" in UTF-8 (E4 B8 AD E6 96 87) also happens to be valid GB18030 (three other
        // characters), so a UTF-8 file with one bad byte would decode "fine" as mojibake.
        let text = "1\n00:00:01,000 --> 00:00:02,000\n中文中文\n\n2\n00:00:03,000 --> 00:00:04,000\n中文\n"
        var bytes = Array(text.utf8)
        let line7 = try XCTUnwrap(bytes.lastIndex(of: 0xE4))
        bytes[line7 + 1] = 0xC0          // E4 C0: invalid UTF-8, a valid GB18030 pair
        XCTAssertNoThrow(try SubtitleReader.parse(Data(bytes), path: "damaged.srt", encoding: "gb18030"))
        let e = error { try SubtitleReader.parse(Data(bytes), path: "damaged.srt") }
        XCTAssertEqual(e?.line, 7)
        XCTAssertTrue(e?.message.contains("damaged") ?? false, e?.message ?? "")
    }

    func testUTF16WithAndWithoutBOM() throws {
        let text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n中文\r\nEnglish 𝄞\r\n"
        let expected = [Cue(start: 1, end: 2, chinese: "中文", english: "English 𝄞", line: 1)]
        let le: [UInt8] = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(try SubtitleReader.parse(Data([0xFF, 0xFE] + le), path: "a.srt"), expected)
        XCTAssertEqual(try SubtitleReader.parse(Data([0xFE, 0xFF] + be), path: "a.srt"), expected)
        XCTAssertEqual(try SubtitleReader.parse(Data([0xFF, 0xFE] + le), path: "a.srt", encoding: "utf-16"), expected)
        XCTAssertEqual(try SubtitleReader.parse(Data(le), path: "a.srt", encoding: "utf-16"), expected)
        XCTAssertEqual(try SubtitleReader.parse(Data(be), path: "a.srt"), expected)   // sniffed from NULs
        // An unpaired surrogate on line 3.
        let prefix: [UInt8] = Array("1\n00:00:01,000 --> 00:00:02,000\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let broken: [UInt8] = prefix + [0x00, 0xD8, 0x41, 0x00]
        XCTAssertEqual(error { try SubtitleReader.parse(Data([0xFF, 0xFE] + broken), path: "a.srt") }?.line, 3)
    }

    func testUnknownEncodingIsAnError() {
        let e = error { try self.parse("1\n00:00:01,000 --> 00:00:02,000\nx\n", encoding: "latin-9") }
        XCTAssertNil(e?.line)
        XCTAssertTrue(e?.message.contains("unknown subtitle encoding 'latin-9'") ?? false)
    }

    // MARK: - Merge

    func testMergeTwoFiles() throws {
        let zh = try SubtitleReader.read(path: Self.fixture("zh.srt"))
        let en = try SubtitleReader.read(path: Self.fixture("en.srt"))
        XCTAssertTrue(zh.allSatisfy { $0.english.isEmpty })
        XCTAssertTrue(en.allSatisfy { $0.chinese.isEmpty })
        let merged = SubtitleReader.merge(chinese: zh, english: en)
        XCTAssertEqual(merged, [
            Cue(start: 1, end: 4, chinese: "大家好，欢迎回来。", english: "Hi everyone, welcome back.", line: 1),
            Cue(start: 4, end: 8, chinese: "今天我们聊聊{卡帕西}的新视频，\n以及它为什么重要。",
                english: "Today we talk about Karpathy's new video,\nand why it matters.", line: 5),
            Cue(start: 8.5, end: 10, chinese: "这一句没有对应的英文。", english: "", line: 10),
            Cue(start: 12, end: 14, chinese: "", english: "[music]", line: 13),
        ])
    }

    func testMergeLongEnglishCueCoversTwoChineseCues() {
        let zh = [Cue(start: 0, end: 2, chinese: "前半句", english: "", line: 1),
                  Cue(start: 2, end: 4, chinese: "后半句", english: "", line: 5)]
        let en = [Cue(start: 0, end: 4.2, chinese: "", english: "One long sentence.", line: 1)]
        let merged = SubtitleReader.merge(chinese: zh, english: en)
        XCTAssertEqual(merged.map(\.english), ["One long sentence.", "One long sentence."])
        // A slight overlap does not pull an English cue into its neighbour.
        let shifted = [Cue(start: 0.1, end: 2.3, chinese: "", english: "First.", line: 1),
                       Cue(start: 2.3, end: 4, chinese: "", english: "Second.", line: 5)]
        XCTAssertEqual(SubtitleReader.merge(chinese: zh, english: shifted).map(\.english), ["First.", "Second."])
        XCTAssertEqual(SubtitleReader.merge(chinese: zh, english: []), zh)
        XCTAssertEqual(SubtitleReader.merge(chinese: [], english: shifted), shifted)
    }

    // MARK: - WebVTT

    func testVTTWithSettingsAndTags() throws {
        let cues = try SubtitleReader.read(path: Self.fixture("talk.vtt"))
        XCTAssertEqual(cues, [
            Cue(start: 1, end: 4, chinese: "我觉得视频是新的文本。", english: "I think video is the new text.", line: 11),
            Cue(start: 4, end: 6.5, chinese: "汤姆和杰瑞", english: "Tom & Jerry <3", line: 16),
            Cue(start: 62.25, end: 65, chinese: "字幕测试", english: "", line: 23),
        ])
    }

    func testVTTWithoutExtensionIsSniffed() throws {
        let cues = try parse("WEBVTT\n\n00:00.500 --> 00:01.000 position:10%\n<c.yellow.bg_blue>hi</c>\n", path: "captions")
        XCTAssertEqual(cues, [Cue(start: 0.5, end: 1, chinese: "", english: "hi", line: 3)])
    }

    // MARK: - ASS

    func testASSOverridesLineBreaksAndCommas() throws {
        let cues = try SubtitleReader.read(path: Self.fixture("talk.ass"))
        XCTAssertEqual(cues, [
            Cue(start: 1, end: 3.5, chinese: "{卡帕西}说，视频可以被直接优化了",
                english: "Karpathy says, well, video is optimizable", line: 14),
            Cue(start: 3.5, end: 5, chinese: "第二句", english: "Second line, with commas, really", line: 16),
            Cue(start: 6, end: 8, chinese: "单独的中文行", english: "A separate English line", line: 17),
        ])
    }

    func testASSFormatDecidesColumnOrder() throws {
        let ass = """
        [Events]
        Format: Start, End, Style, Text
        Dialogue: 0:00:02.00,0:00:04.50,Default,Hello, world\\N你好，世界
        Comment: 0:00:05.00,0:00:06.00,Default,ignored
        """
        XCTAssertEqual(try parse(ass, path: "x.ssa"),
                       [Cue(start: 2, end: 4.5, chinese: "你好，世界", english: "Hello, world", line: 3)])
        // Sniffed by content when the extension says nothing.
        XCTAssertEqual(try parse(ass, path: "x.txt").count, 1)
    }

    // MARK: - Malformed input

    func testBadTimingNamesTheLine() {
        let e = error { try self.parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbad\n", path: "bad.srt") }
        XCTAssertEqual(e?.line, 6)
        XCTAssertEqual(e?.path, "bad.srt")
        XCTAssertTrue(e?.description.hasPrefix("bad.srt: line 6: invalid timing line '00:00:03,000 -> 00:00:04,000'") ?? false,
                      e?.description ?? "")
        XCTAssertEqual(error { try self.parse("1\n00:00:01,000 --> 00:00:61,000\nx\n") }?.line, 2)
        XCTAssertEqual(error { try self.parse("\n\n00:00:aa,000 --> 00:00:02,000\nx\n") }?.line, 3)
        XCTAssertEqual(error { try self.parse("WEBVTT\n\n00:01.000 --> 00:0x.000\nx\n", path: "a.vtt") }?.line, 3)
        XCTAssertEqual(error { try self.parse("[Events]\nDialogue: 0,0:00:01.00,1:2:3:4,D,,0,0,0,,x\n", path: "a.ass") }?.line, 2)
    }

    func testEndBeforeStart() {
        let srt = error { try self.parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:05,000 --> 00:00:04,000\nx\n") }
        XCTAssertEqual(srt?.line, 6)
        XCTAssertTrue(srt?.message.contains("ends before it starts") ?? false)
        XCTAssertEqual(error { try self.parse("WEBVTT\n\n00:05.000 --> 00:04.000\nx\n", path: "a.vtt") }?.line, 3)
        XCTAssertEqual(error { try self.parse("[Events]\nDialogue: 0,0:00:05.00,0:00:04.00,D,,0,0,0,,x\n", path: "a.ass") }?.line, 2)
        // Zero length is allowed.
        XCTAssertEqual(try parse("1\n00:00:01,000 --> 00:00:01,000\nx\n").count, 1)
    }

    func testEmptyFiles() {
        for (text, path) in [("", "e.srt"), ("\u{FEFF}\n\n  \r\n", "e.srt"), ("WEBVTT\n\nNOTE nothing\n", "e.vtt"),
                             ("[Script Info]\nTitle: x\n[Events]\nFormat: Start, End, Text\n", "e.ass"),
                             ("1\n00:00:01,000 --> 00:00:02,000\n\n", "e.srt")] {
            let e = error { try self.parse(text, path: path) }
            XCTAssertEqual(e?.description, "\(path): no subtitle cues found")
        }
    }

    func testStructuralErrors() {
        // Text before the first cue.
        XCTAssertEqual(error { try self.parse("hello\n00:00:01,000 --> 00:00:02,000\n") }?.line, 1)
        // A cue number followed by text instead of a timing.
        let e = error { try self.parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nno timing here\n") }
        XCTAssertEqual(e?.line, 6)
        // A cue number at the end of the file.
        XCTAssertEqual(error { try self.parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n") }?.line, 5)
        // WebVTT block without a timing.
        XCTAssertEqual(error { try self.parse("WEBVTT\n\nid\nnot a timing\n", path: "a.vtt") }?.line, 4)
        // ASS Dialogue with too few fields; Format without Text.
        XCTAssertEqual(error { try self.parse("[Events]\nFormat: Layer, Start, End, Text\nDialogue: 0,0:00:01.00\n", path: "a.ass") }?.line, 3)
        XCTAssertEqual(error { try self.parse("[Events]\nFormat: Layer, Start, End\n", path: "a.ass") }?.line, 2)
    }

    func testReadErrors() {
        let missing = error { try SubtitleReader.read(path: "/nonexistent/x.srt") }
        XCTAssertEqual(missing?.description, "/nonexistent/x.srt: no such file")
        XCTAssertEqual(error { try SubtitleReader.read(path: Self.fixtures.path) }?.message, "is a directory")
    }

    // MARK: - Fixtures by path

    func testFixturesByPath() throws {
        let bilingual = try SubtitleReader.read(path: Self.fixture("bilingual.srt"))
        XCTAssertEqual(bilingual, [
            Cue(start: 1, end: 3.5, chinese: "{卡帕西}说：视频可以被直接优化了。",
                english: "Karpathy says video can be optimized directly.", line: 1),
            Cue(start: 3.5, end: 6, chinese: "我们先看 **TikTok** 的推荐。",
                english: "Let's look at **TikTok** recommendations first.", line: 6),
            Cue(start: 6.2, end: 9, chinese: "这一段只有中文。", english: "", line: 11),
            Cue(start: 9, end: 11.25, chinese: "", english: "Only English here, “quoted”.", line: 15),
        ])
        let gbk = try SubtitleReader.read(path: Self.fixture("gbk.srt"))
        XCTAssertEqual(gbk, [
            Cue(start: 1, end: 2.5, chinese: "中文字幕，用 GBK 编码。", english: "Subtitles in GBK.", line: 1),
            Cue(start: 3, end: 4, chinese: "简体中文测试", english: "", line: 6),
        ])
        XCTAssertEqual(try SubtitleReader.read(path: Self.fixture("gbk.srt"), encoding: "gbk"), gbk)
    }

    // MARK: - Robustness

    /// SplitMix64: a fixed-seed generator so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fuzzPaths = ["f.srt", "f.vtt", "f.ass", "f"]
    static let fuzzEncodings: [String?] = [nil, nil, "gbk", "utf-16", "utf-8"]

    /// Parses and checks the invariants of any result; errors are fine, crashes are not.
    func survive(_ bytes: [UInt8], _ rng: inout SplitMix64) {
        let path = Self.fuzzPaths[Int(rng.next() % UInt64(Self.fuzzPaths.count))]
        let encoding = Self.fuzzEncodings[Int(rng.next() % UInt64(Self.fuzzEncodings.count))]
        do {
            let cues = try SubtitleReader.parse(Data(bytes), path: path, encoding: encoding)
            XCTAssertFalse(cues.isEmpty)
            for (a, b) in zip(cues, cues.dropFirst()) { XCTAssertLessThanOrEqual(a.start, b.start) }
            for cue in cues {
                XCTAssertLessThanOrEqual(cue.start, cue.end)
                XCTAssertFalse(cue.isEmpty)
                XCTAssertGreaterThanOrEqual(cue.line, 1)
            }
            _ = SubtitleReader.merge(chinese: cues, english: cues.reversed())
        } catch let e as SubtitleError {
            XCTAssertEqual(e.path, path)
            if let line = e.line { XCTAssertGreaterThanOrEqual(line, 1) }
        } catch {
            XCTFail("unexpected error type \(error)")
        }
    }

    func testRandomBytesNeverCrash() {
        var rng = SplitMix64(state: 0x5EED_0001)
        for _ in 0..<2000 {
            let count = Int(rng.next() % 300)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            survive(bytes, &rng)
        }
    }

    func testMutatedSubtitlesNeverCrash() throws {
        let seeds = try ["bilingual.srt", "talk.vtt", "talk.ass", "gbk.srt", "en.srt"].map {
            [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent($0)))
        }
        // Pieces that steer mutations into the parsers' interesting corners.
        let tokens: [[UInt8]] = ["-->", " --> ", "00:00:01,000", "99:59:59.999", ":", ",", ".", "\n", "\r\n", "\r", "\n\n",
                                 "{\\", "}", "{\\p1}", "\\N", "<", ">", "</i>", "<v ", "<00:", "&#x", "&amp;", ";", "NOTE",
                                 "WEBVTT", "[Events]", "Format: Text", "Dialogue:", "12", "中", "\u{FEFF}"].map { Array($0.utf8) }
        var rng = SplitMix64(state: 0x5EED_0002)
        for round in 0..<2000 {
            var bytes = seeds[round % seeds.count]
            let edits = 1 + Int(rng.next() % 8)
            for _ in 0..<edits {
                let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 6 {
                case 0: if !bytes.isEmpty { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
                case 1: if !bytes.isEmpty { bytes.remove(at: at) }
                case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                case 3: bytes.insert(contentsOf: tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                case 4: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 40)))
                default:
                    let from = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
                    let chunk = bytes[from..<min(bytes.count, from + Int(rng.next() % 60))]
                    bytes.insert(contentsOf: chunk, at: at)
                }
            }
            survive(bytes, &rng)
        }
    }

    func testTokenSoupNeverCrashes() {
        let tokens = ["1", "\n", "\n\n", "\r\n", "00:00:01,000", "0:00:02.00", "00:03.000", " --> ", "-->", ",", "中文", "English",
                      "<i>", "</i>", "<", ">", "{\\an8}", "{卡帕西}", "**", "\\N", "\\h", "{\\p1}", "{", "}", "&", "&lt;", ";",
                      "WEBVTT", "NOTE", "STYLE", "[Events]", "Format: Layer, Start, End, Text", "Dialogue: ", "Comment: ",
                      "99999999999:00:00,000", " align:start", "\u{FEFF}", "\t", " "]
        var rng = SplitMix64(state: 0x5EED_0003)
        for _ in 0..<1000 {
            let count = Int(rng.next() % 60)
            let text = (0..<count).map { _ in tokens[Int(rng.next() % UInt64(tokens.count))] }.joined()
            survive(Array(text.utf8), &rng)
        }
    }
}
