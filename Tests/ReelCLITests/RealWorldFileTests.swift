import XCTest

/// Files made by other people's phones, browsers and encoders (issue 15). Each fixture is
/// made here, in the test's temp folder, with the ffmpeg CLI, and each result is checked
/// with ffprobe/ffmpeg, never with reel.
final class RealWorldFileTests: ReelTestCase {
    /// Runs the ffmpeg CLI quietly; throws with its stderr when it fails.
    @discardableResult
    func ffmpeg(_ arguments: [String]) throws -> ProcessResult {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let r = try runProcess(ffmpeg, ["-v", "error", "-y"] + arguments, currentDirectory: workDir)
        guard r.exitCode == 0 else { throw TestFailure("fixture: \(r.summary)") }
        return r
    }

    func file(_ name: String) -> URL { workDir.appendingPathComponent(name) }

    /// A refusal: the exit code, one `reel: ` line naming `mention`, and nothing new in the
    /// work folder (no output, no temp file).
    func assertRefusal(_ arguments: [String], exit code: Int32, mentions mention: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: workDir.path))
        let r = try reel(arguments)
        XCTAssertEqual(r.exitCode, code, r.summary, file: file, line: line)
        let lines = r.stderrString.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr: \(r.stderrString.debugDescription)", file: file, line: line)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: ") && r.stderrString.contains(mention),
                      "`reel: ` and \(mention) in: \(r.stderrString)", file: file, line: line)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: workDir.path))
        XCTAssertEqual(after.subtracting(before), [], "left behind", file: file, line: line)
    }

    // MARK: - 9, 11: encoders

    /// A hardware encoder name on a machine without that hardware, or a preset x264 does not
    /// know: the encoder cannot open. Exit 69 with the cause, no crash (the context was freed
    /// twice: exit 139), no zero-byte temp file.
    func testEncoderThatCannotOpenIsUnavailable() throws {
        let input = Paths.fixture("media/noaudio.mp4").path
        let out = file("out.mp4").path
        for encoder in ["h264_nvenc", "h264_vaapi"] {
            try assertRefusal(["render", input, "-o", out, "--trim", ":0.3", "--encoder", encoder], exit: 69, mentions: encoder)
        }
        try assertRefusal(["render", input, "-o", out, "--trim", ":0.3", "--preset", "bogus"], exit: 69, mentions: "bogus")
    }

    /// x264 writes the lowest profile its features need; ultrafast and superfast used to come
    /// out Constrained Baseline / Main. The output contract is High for every preset.
    func testEveryPresetWritesHighProfile() throws {
        for preset in ["ultrafast", "superfast"] {
            let out = try render("media/noaudio.mp4", ["--trim", ":0.3", "--preset", preset, "--size", "360x640"], name: preset)
            XCTAssertEqual(try MediaInfo(out).video?.str("profile"), "High", "--preset \(preset)")
        }
    }
}
