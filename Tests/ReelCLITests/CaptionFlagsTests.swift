import XCTest

/// `reel captions` takes the render's caption flags (one `CaptionArguments`): the same help,
/// the same range messages and exit code, so what the linter lays out is what a render draws.
final class CaptionFlagsTests: ReelTestCase {
    func testCaptionsAndRenderShareFlagWordingAndRanges() throws {
        let subs = workDir.appendingPathComponent("s.srt")
        try Data("1\n00:00:00,000 --> 00:00:01,000\n你好\nHello\n".utf8).write(to: subs)
        let input = Paths.fixture("media/noaudio.mp4").path
        let out = workDir.appendingPathComponent("out.mp4").path
        for bad in [["--caption-size-zh", "5"], ["--caption-size-en", "401"], ["--fps", "24"], ["--size", "100x101"]] {
            let lint = try reel(["captions", subs.path] + bad)
            let render = try reel(["render", input, "-o", out, "--subtitles", subs.path] + bad)
            XCTAssertEqual(lint.exitCode, 64, lint.summary)
            XCTAssertEqual(render.exitCode, 64, render.summary)
            XCTAssertEqual(lint.stderrString, render.stderrString, "\(bad): one message")
            XCTAssertTrue(lint.stderrString.hasPrefix("reel: \(bad[0])"), lint.stderrString)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))

        // Every shared flag's help reads the same in both commands.
        let lintHelp = try reel(["captions", "--help"]).stdoutString, renderHelp = try reel(["render", "--help"]).stdoutString
        func help(_ flag: String, in text: String) -> String? {
            let blocks = text.components(separatedBy: "\n  --").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            return blocks.first { $0.hasPrefix(flag + " ") }
        }
        for flag in ["subtitles-en", "subtitles-encoding", "font-zh", "font-en", "caption-size-zh", "caption-size-en", "lexicon"] {
            let text = help(flag, in: lintHelp)
            XCTAssertNotNil(text, "captions --help lists --\(flag)")
            XCTAssertEqual(text, help(flag, in: renderHelp), "--\(flag)")
        }
        XCTAssertEqual(help("caption-size-zh", in: lintHelp), "caption-size-zh <caption-size-zh> Chinese caption size in pixels (default 64 at 1080 wide).")
    }
}
