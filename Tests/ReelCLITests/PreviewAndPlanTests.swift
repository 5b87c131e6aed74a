import XCTest

/// `reel preview`, plan files through the CLI (flags override the plan), and `reel demo`'s
/// plan lookup.
final class PreviewAndPlanTests: ReelTestCase {
    func plan(_ text: String) throws -> URL {
        let url = workDir.appendingPathComponent("plan.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testPreviewWritesOneComposedFrame() throws {
        let png = workDir.appendingPathComponent("frame.png")
        let r = try reel(["preview", Paths.fixture("media/recording-16x9.mp4").path, "--at", "1.5", "-o", png.path,
                          "--presenter", Paths.fixture("media/presenter-still.png").path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let f = try decodeFrame(png, pixFmt: "rgb24", width: 1080, height: 1920)
        XCTAssertEqual(f.width, 1080)
        // The same frame as the render's (the render is lossy: compare coarsely).
        let video = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-still.png").path])
        let g = try decodeRGB709(video, width: 1080, height: 1920, seek: 1.5)
        for (x, y) in [(540, 700), (260, 1150), (540, 1700)] {
            for c in 0..<3 { XCTAssertEqual(f.average(x, y)[c], g.average(x, y)[c], accuracy: 12, "pixel (\(x), \(y))") }
        }
        // Past the end: a usage error and no PNG.
        let late = workDir.appendingPathComponent("late.png")
        let bad = try reel(["preview", Paths.fixture("media/recording-16x9.mp4").path, "--at", "9", "-o", late.path])
        XCTAssertEqual(bad.exitCode, 64, bad.summary)
        XCTAssertTrue(bad.stderrString.contains("past the end"), bad.stderrString)
        XCTAssertFalse(FileManager.default.fileExists(atPath: late.path))
    }

    func testPlanRendersAndFlagsOverrideIt() throws {
        let media = Paths.fixture("media").path
        let p = try plan("""
        source: \(media)/recording-16x9.mp4
        output: planned.mp4
        fps: 25
        trim: "0:2"
        presenter: {file: \(media)/presenter-talk.mp4, mask: circle}
        layout: pip
        """)
        let r = try reel(["render", p.path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let out = workDir.appendingPathComponent("planned.mp4")   // relative to the plan
        var info = try ffprobeJSON(out, ["-show_entries", "stream=codec_type,r_frame_rate"])
        XCTAssertEqual((info["streams"] as? [[String: Any]])?.first?["r_frame_rate"] as? String, "25/1")
        // A flag given with the plan wins.
        let other = workDir.appendingPathComponent("other.mp4")
        let r2 = try reel(["render", p.path, "--fps", "30", "-o", other.path])
        XCTAssertEqual(r2.exitCode, 0, r2.summary)
        info = try ffprobeJSON(other, ["-show_entries", "stream=codec_type,r_frame_rate"])
        XCTAssertEqual((info["streams"] as? [[String: Any]])?.first?["r_frame_rate"] as? String, "30/1")
    }

    func testBadPlanNamesTheKeyPath() throws {
        let p = try plan("source: x.mp4\npresenter: {file: a.webm, mask: star}\n")
        let r = try reel(["render", p.path, "-o", workDir.appendingPathComponent("x.mp4").path])
        XCTAssertEqual(r.exitCode, 65, r.summary)
        XCTAssertTrue(r.stderrString.contains("plan.yaml"), r.stderrString)
        XCTAssertTrue(r.stderrString.contains("presenter.mask star"), r.stderrString)
        let q = try plan("source: x.mp4\nhook: {start: 1, lenght: 2}\n")
        let r2 = try reel(["render", q.path, "-o", workDir.appendingPathComponent("x.mp4").path])
        XCTAssertTrue(r2.stderrString.contains("hook.lenght: unknown key"), r2.stderrString)
        XCTAssertEqual(r2.stderrString.split(separator: "\n").count, 1)
    }

    func testDemoRendersAPlanAndSaysWhere() throws {
        // `reel demo --plan` with a short plan: the same command path as the real demo.
        let media = Paths.fixture("media").path
        let p = try plan("source: \(media)/recording-16x9.mp4\ntrim: \"0:1\"\n")
        let out = workDir.appendingPathComponent("sub/demo.mp4")
        let r = try reel(["demo", "--plan", p.path, "-o", out.path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertTrue(r.stdoutString.contains("the demo is at"), r.stdoutString)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path))
    }
}

extension PreviewAndPlanTests {
    /// Loudness, zoom and caption sizes are checked whether they come from a flag or a plan:
    /// a plan's out-of-range value is refused with exit 65 and its key path, before any output.
    func testPlanNumbersOutOfRangeAreRefusedWithTheKeyPath() throws {
        let media = Paths.fixture("media").path
        let out = workDir.appendingPathComponent("x.mp4")
        for (yaml, key) in [("audio: {loudness: -90}", "audio.loudness"), ("hook: {start: 1, zoom: 4}", "hook.zoom"),
                            ("subtitles: {file: a.srt, size_zh: 9000}", "subtitles.size_zh"),
                            ("subtitles: {file: a.srt, size_en: 2}", "subtitles.size_en")] {
            let p = try plan("source: \(media)/recording-16x9.mp4\n\(yaml)\n")
            for command in ["render", "plan", "preview"] {
                let r = try reel([command, p.path, "-o", out.path] + (command == "preview" ? ["--at", "0"] : []))
                XCTAssertEqual(r.exitCode, 65, "\(command) \(yaml): \(r.summary)")
                XCTAssertTrue(r.stderrString.contains("plan.yaml"), r.stderrString)
                XCTAssertTrue(r.stderrString.contains(key), "\(key): \(r.stderrString)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workDir.path), ["plan.yaml"], "no output, no temporary file")
    }

    /// `reel plan` decides without claiming an output: no temporary MP4 appears beside the plan.
    func testPlanCreatesNoTemporaryOutput() throws {
        let media = Paths.fixture("media").path
        let dir = workDir.appendingPathComponent("plans")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try reel(["plan", "\(media)/recording-16x9.mp4", "--trim", "0:1", "-o", dir.appendingPathComponent("p.yaml").path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["p.yaml"])
    }
}
