// Burned-in subtitles, checked by decoding the output with ffmpeg.

import Foundation
import XCTest

final class SubtitleRenderTests: ReelTestCase {
    /// Count of near-white pixels in the caption band (y 1150…1440) of the frame at `t`.
    func captionPixels(_ file: URL, at t: Double) throws -> Int {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let r = try runProcess(ffmpeg, ["-v", "error", "-ss", String(t), "-i", file.path, "-frames:v", "1",
                                        "-vf", "crop=1080:290:0:1150,format=gray", "-f", "rawvideo", "-"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        return r.stdout.filter { $0 > 200 }.count
    }

    func testCaptionsAppearOnlyDuringTheirCues() throws {
        let out = try render("media/recording-16x9.mp4", ["--subtitles", Paths.fixture("subtitles/bilingual.srt").path])
        // bilingual.srt: cue 1 from 1.0 to 3.5 s, cue 2 from 3.5 s; nothing before 1.0 s.
        XCTAssertLessThan(try captionPixels(out, at: 0.5), 50, "caption band should be empty before the first cue")
        XCTAssertGreaterThan(try captionPixels(out, at: 2.0), 2000, "no caption drawn during cue 1")
        XCTAssertGreaterThan(try captionPixels(out, at: 3.8), 2000, "no caption drawn during cue 2")
    }

    func testTwoFilesMergedByTime() throws {
        let out = try render("media/recording-16x9.mp4", ["--subtitles", Paths.fixture("subtitles/zh.srt").path,
                                                          "--subtitles-en", Paths.fixture("subtitles/en.srt").path])
        XCTAssertGreaterThan(try captionPixels(out, at: 2.0), 2000)
    }

    func testBrokenSubtitlesAreRefusedWithLineNumber() throws {
        let bad = workDir.appendingPathComponent("bad.srt")
        try "1\n00:00:01,000 --> 00:00:0x,000\n你好\n".write(to: bad, atomically: true, encoding: .utf8)
        let out = workDir.appendingPathComponent("o.mp4")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path, "--subtitles", bad.path])
        XCTAssertEqual(r.exitCode, 65, r.summary)
        let lines = r.stderrString.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderrString)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: \(bad.path): line 2"), r.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
