// `reel captions`: each warning class on a subtitle file made here, the JSON shape, the
// plan path, the lexicon flag, exit codes, and that a copied binary still finds its lexicon.

import Foundation
import XCTest

final class CaptionsCommandTests: ReelTestCase {
    func write(_ name: String, _ text: String) throws -> URL {
        let url = workDir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func srt(_ cues: [(String, String, String)]) -> String {
        cues.enumerated().map { "\($0 + 1)\n\($1.0) --> \($1.1)\n\($1.2)\n" }.joined(separator: "\n")
    }

    func json(_ args: [String]) throws -> [String: Any] {
        let r = try reel(["captions"] + args + ["--format", "json"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.stdoutString)
    }

    func warnings(_ report: [String: Any]) -> [(kind: String, cue: Int?)] {
        (report["warnings"] as? [[String: Any]] ?? []).map { ($0["kind"] as! String, $0["cue"] as? Int) }
    }

    /// A clean file has no warnings; each bad cue gets exactly its own warning.
    func testEachWarning() throws {
        let clean = try write("clean.srt", srt([
            ("00:00:01,000", "00:00:04,000", "视频第一次可以被直接优化了。\nFor the first time, video is optimizable."),
            ("00:00:04,000", "00:00:07,000", "你怎么看？\nWhat do you think?"),
        ]))
        XCTAssertTrue(warnings(try json([clean.path])).isEmpty)

        let bad = try write("bad.srt", srt([
            ("00:00:01,000", "00:00:03,000", "正常的一句话。\nA normal line."),                                  // 1
            ("00:00:02,500", "00:00:05,000", "这一句和上一句重叠了。\nThis one overlaps."),                      // 2 overlap
            ("00:00:05,040", "00:00:07,000", "间隔太短会闪烁。\nA 40 ms gap flickers."),                        // 3 flicker (< 2 frames)
            ("00:00:07,000", "00:00:07,400", "太短\nToo short"),                                             // 4 short
            ("00:00:08,000", "00:00:09,000", "这一句话在一秒钟之内要读完实在是太快了吧\nFine."),                    // 5 zh speed
            ("00:00:10,000", "00:00:11,000", "好\nThis English line is far too long to read in one second."), // 6 en speed
            ("00:00:12,000", "00:00:30,000", String(repeating: "这是一段非常非常长的字幕文字，", count: 8) + "\nok"),    // 7 too long
            ("00:00:31,000", "00:00:35,000", "符号\u{E000}\u{10FFFD}\nGlyphs"),                                 // 8 missing glyphs
        ]) + "\n9\n00:00:36,000 --> 00:00:38,000\n最后\nLast\n\n10\n00:00:35,500 --> 00:00:35,900\n乱序\nOut of order long enough\n")
        let report = try json([bad.path])
        let w = warnings(report)
        func has(_ kind: String, _ cue: Int) -> Bool { w.contains { $0.kind == kind && $0.cue == cue } }
        XCTAssertTrue(has("overlap", 2), "\(w)")
        XCTAssertTrue(has("flicker-gap", 3), "\(w)")
        XCTAssertTrue(has("short", 4), "\(w)")
        XCTAssertTrue(has("reading-speed", 5), "\(w)")
        XCTAssertTrue(has("reading-speed", 6), "\(w)")
        XCTAssertTrue(has("too-long", 7), "\(w)")
        XCTAssertTrue(has("missing-glyphs", 8), "\(w)")
        // The file's 10th cue starts at 35.5 s, before its 9th (36 s): in time order the 9th
        // cue comes 10th though the file has it earlier.
        XCTAssertTrue(has("out-of-order", 10), "\(w)")
        XCTAssertFalse(w.contains { $0.cue == 1 }, "cue 1 is fine: \(w)")
        XCTAssertFalse(w.contains { $0.kind == "overlap" && $0.cue != 2 }, "\(w)")
    }

    func testJSONShapeAndLinesAsDrawn() throws {
        let file = try write("a.srt", srt([("00:00:01,000", "00:00:04,500", "四，视频第一次可以被{直接优化}了，抖音跟它比起来根本不算什么！\nFour: video is {directly optimizable}.")]))
        let report = try json([file.path])
        XCTAssertEqual(report["file"] as? String, file.path)
        XCTAssertEqual(report["canvas"] as? String, "1080x1920")
        XCTAssertEqual(report["lineWidth"] as? Int, 840)   // 1080 minus the douyin safe margins 60 + 180
        XCTAssertNotNil(report["dictionary"] as? String)
        let cues = try XCTUnwrap(report["cues"] as? [[String: Any]])
        XCTAssertEqual(cues.count, 1)
        let cue = cues[0]
        XCTAssertEqual(cue["cue"] as? Int, 1)
        XCTAssertEqual(cue["line"] as? Int, 1)
        XCTAssertEqual(cue["start"] as? Double, 1.0)
        XCTAssertEqual(cue["end"] as? Double, 4.5)
        let zh = try XCTUnwrap(cue["chinese"] as? [String: Any])
        let lines = try XCTUnwrap(zh["lines"] as? [String])
        XCTAssertEqual(lines.joined(), "四，视频第一次可以被直接优化了，抖音跟它比起来根本不算什么！")
        XCTAssertEqual(lines.count, 2)
        for word in ["直接优化", "抖音", "第一次", "可以"] {
            XCTAssertTrue(lines.contains { $0.contains(word) }, "\(word) split in \(lines)")
        }
        XCTAssertEqual(zh["requestedSize"] as? Int, 64)
        XCTAssertLessThanOrEqual(try XCTUnwrap(zh["size"] as? Int), 64)
        XCTAssertEqual(zh["font"] as? String, "Noto Sans CJK SC")
        let en = try XCTUnwrap(cue["english"] as? [String: Any])
        XCTAssertEqual((en["lines"] as? [String])?.joined(separator: " "), "Four: video is directly optimizable.")
        XCTAssertEqual(report["warnings"] as? [[String: Any]] != nil, true)
    }

    /// The plan's sizes apply (the example's 58 px), and the text report shows the lines.
    func testPlanAndTextReport() throws {
        let r = try reel(["captions", Paths.fixture("example/plan.yaml").path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertTrue(r.stdoutString.contains("14 cues"), r.stdoutString)
        XCTAssertTrue(r.stdoutString.contains("zh 58 px"), r.stdoutString)
        XCTAssertTrue(r.stdoutString.contains("│ 一，视频是带宽\n    │ 最高的大脑输入；"), r.stdoutString)
    }

    func testLexiconFlagKeepsANameWhole() throws {
        // Two lines at these sizes; the balanced break without the lexicon falls inside the name.
        let text = "今天来试试呱呱鸭智能相机好不好用"
        let file = try write("l.srt", srt([("00:00:01,000", "00:00:05,000", text)]))
        let lex = try write("names.txt", "# our product\n呱呱鸭智能相机\n")
        func lines(_ extra: [String]) throws -> [String] {
            let report = try json([file.path] + extra)
            return (((report["cues"] as? [[String: Any]])?.first?["chinese"] as? [String: Any])?["lines"] as? [String]) ?? []
        }
        for size in ["64", "72"] {
            let with = try lines(["--lexicon", lex.path, "--caption-size-zh", size])
            XCTAssertEqual(with.count, 2, "\(with)")
            XCTAssertEqual(with.joined(), text)
            XCTAssertTrue(with.contains { $0.contains("呱呱鸭智能相机") }, "split at \(size): \(with)")
            let without = try lines(["--caption-size-zh", size])
            XCTAssertFalse(without.contains { $0.contains("呱呱鸭智能相机") }, "the test needs a layout that tears the name: \(without)")
        }
        let missing = try reel(["captions", file.path, "--lexicon", workDir.appendingPathComponent("nope.txt").path])
        XCTAssertEqual(missing.exitCode, 66, missing.summary)
        XCTAssertTrue(missing.stderrString.hasPrefix("reel: "), missing.stderrString)
    }

    func testBrokenFileExits65AndMissingFile66() throws {
        let bad = try write("bad.srt", "1\n00:00:01,000 --> 00:00:0x,000\n你好\n")
        let r = try reel(["captions", bad.path])
        XCTAssertEqual(r.exitCode, 65, r.summary)
        XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, r.stderrString)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: \(bad.path): line 2"), r.stderrString)
        XCTAssertTrue(r.stdoutString.isEmpty)
        let missing = try reel(["captions", workDir.appendingPathComponent("none.srt").path])
        XCTAssertEqual(missing.exitCode, 66, missing.summary)
        let format = try reel(["captions", bad.path, "--format", "xml"])
        XCTAssertEqual(format.exitCode, 64, format.summary)
    }

    /// reel's lexicon is compiled in: a copy of the binary elsewhere still keeps 卡帕西 whole.
    /// jieba alone splits 卡帕|西, and the most balanced break would then be
    /// "今天讲讲卡帕 / 西的新观点".
    func testCopiedBinaryStillHasItsLexicon() throws {
        let copy = workDir.appendingPathComponent("bin/reel")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.reel, to: copy)
        let text = "今天讲讲卡帕西的新观点"
        let file = try write("c.srt", srt([("00:00:01,000", "00:00:06,000", text)]))
        for size in ["84", "108"] {
            let r = try runProcess(copy, ["captions", file.path, "--format", "json", "--caption-size-zh", size])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
            let lines = (((report["cues"] as? [[String: Any]])?.first?["chinese"] as? [String: Any])?["lines"] as? [String]) ?? []
            XCTAssertEqual(lines, ["今天讲讲卡帕西", "的新观点"], "at \(size)")
        }
    }

    /// The render's --lexicon is read before any work: a missing one stops a preview with 66
    /// and no PNG; a good one renders.
    func testRenderLexiconFlag() throws {
        let subs = try write("s.srt", srt([("00:00:00,000", "00:00:02,000", "今天讲讲卡帕西的新观点")]))
        let png = workDir.appendingPathComponent("f.png")
        let input = Paths.fixture("media/recording-16x9.mp4").path
        let bad = try reel(["preview", input, "--at", "0.5", "--subtitles", subs.path, "-o", png.path,
                            "--lexicon", workDir.appendingPathComponent("none.txt").path])
        XCTAssertEqual(bad.exitCode, 66, bad.summary)
        XCTAssertEqual(bad.stderrString.split(separator: "\n").count, 1, bad.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: png.path))
        let lex = try write("names.txt", "呱呱鸭\n")
        let good = try reel(["preview", input, "--at", "0.5", "--subtitles", subs.path, "-o", png.path, "--lexicon", lex.path])
        XCTAssertEqual(good.exitCode, 0, good.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png.path))
    }
}
