import XCTest

/// The hook from the outside: a 6 s recording whose picture shows its frame number (8 bits
/// as black/white columns) and whose sound has a click at every half second past a whole
/// one and a different tone each second. Checked with ffmpeg only.
final class HookTests: ReelTestCase {
    /// 320x240, 30 fps, 6 s; clicks at 0.5, 1.5, …, 5.5 s; tone 400 + 100·⌊t⌋ Hz.
    func makeCounterClip() throws -> URL {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let out = workDir.appendingPathComponent("counter.mp4")
        let r = try runProcess(ffmpeg, [
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "color=c=black:s=320x240:r=30:d=6,format=gray,geq=lum='255*mod(floor(N/pow(2,floor(X/40))),2)'",
            "-f", "lavfi", "-i", "aevalsrc='0.1*sin(2*PI*(400+100*floor(t))*t)+if(lt(mod(t,1)-0.5,0.004)*gte(mod(t,1),0.5),0.9,0)':s=48000:d=6",
            "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", "-g", "15",
            "-c:a", "aac", "-b:a", "192k", "-ac", "2", out.path])
        guard r.exitCode == 0 else { throw TestFailure("making the counter clip failed: \(r.summary)") }
        return out
    }

    func srt(_ text: String) throws -> URL {
        let url = workDir.appendingPathComponent("cues.srt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The frame number the panel shows in every output frame (read by ffmpeg).
    func counters(_ file: URL) throws -> [Int] {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        // Black background: the 320x240 picture is fitted to 1080x810 at y 425.
        let v = try runProcess(ffmpeg, ["-v", "error", "-i", file.path, "-map", "0:v", "-vf", "crop=1080:20:0:820,scale=8:1:flags=area,format=gray",
                                        "-f", "rawvideo", "-"])
        let bytes = [UInt8](v.stdout)
        return stride(from: 0, to: bytes.count - 7, by: 8).map { i in
            (0..<8).reduce(0) { $0 | (bytes[i + $1] > 128 ? 1 << $1 : 0) }
        }
    }

    func clicks(_ file: URL) throws -> [Double] {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let a = try runProcess(ffmpeg, ["-v", "error", "-i", file.path, "-map", "0:a", "-ac", "1", "-f", "s16le", "-"])
        var onsets: [Double] = [], last = -100_000
        a.stdout.withUnsafeBytes { raw in
            let s = raw.bindMemory(to: Int16.self)
            for i in 0..<s.count where abs(Int(s[i])) > 16000 {
                if i - last > 4800 { onsets.append(Double(i) / 48000) }
                last = i
            }
        }
        return onsets
    }

    /// Dominant tone (Hz) around time t, from zero crossings in 0.3 s that avoid clicks.
    func tone(_ file: URL, at t: Double) throws -> Double {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let a = try runProcess(ffmpeg, ["-v", "error", "-ss", String(t), "-t", "0.3", "-i", file.path, "-map", "0:a", "-ac", "1",
                                        "-f", "s16le", "-"])
        var crossings = 0
        a.stdout.withUnsafeBytes { raw in
            let s = raw.bindMemory(to: Int16.self)
            for i in 1..<s.count where (s[i - 1] < 0) != (s[i] < 0) { crossings += 1 }
        }
        return Double(crossings) / 2 / 0.3
    }

    func testHookPlaysItsRangeThenTheBodyWithSoundAndSubtitles() throws {
        let clip = try makeCounterClip()
        let cues = try srt("1\n00:00:03,000 --> 00:00:04,000\n第四秒\nsecond four\n")
        let out = workDir.appendingPathComponent("hooked.mp4")
        // The counter's frame 0 is all black: kept, so the body starts at source frame 0.
        let r = try reel(["render", clip.path, "-o", out.path, "--background", "#000000", "--hook", "3:2",
                          "--subtitles", cues.path, "--no-hook-flash", "--keep-black-start"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        // Picture: frames 0–59 show source frames 90–149, then the body from frame 0.
        let shown = try counters(out)
        XCTAssertEqual(shown.count, 240, "2 s hook + 6 s body")
        XCTAssertEqual(Array(shown[0..<3]), [90, 91, 92])
        XCTAssertEqual(Array(shown[58..<63]), [148, 149, 0, 1, 2])
        XCTAssertEqual(shown.last, 179)
        // Sound: the clicks at source 3.5 and 4.5 s play first, then 0.5 … 5.5 s again.
        let heard = try clicks(out)
        let expected = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]
        XCTAssertEqual(heard.count, expected.count, "clicks at \(heard)")
        for (h, e) in zip(heard, expected) { XCTAssertEqual(h, e, accuracy: 1.0 / 30, "click at \(h) s, expected \(e)") }
        // The tone of each second follows the picture: 700 Hz (source 3 s) first, 400 Hz after the cut.
        XCTAssertEqual(try tone(out, at: 0.1), 700, accuracy: 25)
        XCTAssertEqual(try tone(out, at: 1.1), 800, accuracy: 25)
        XCTAssertEqual(try tone(out, at: 2.1), 400, accuracy: 25)
        XCTAssertEqual(try tone(out, at: 7.6), 900, accuracy: 25)
        // Audio and video end together.
        let info = try ffprobeJSON(out, ["-show_entries", "stream=codec_type,duration"])
        let durations = (info["streams"] as? [[String: Any]] ?? []).compactMap { Double($0["duration"] as? String ?? "") }
        XCTAssertEqual(durations.count, 2)
        XCTAssertEqual(durations[0], durations[1], accuracy: 1.0 / 30)
        // Subtitles: the cue of source 3–4 s shows in the hook's first second and again at 5–6 s.
        func captionInk(_ t: Double) throws -> Int {
            let f = try decodeFrame(out, pixFmt: "gray", filter: "crop=1080:200:0:1236", width: 1080, height: 200, seek: t)
            return f.bytes.filter { $0 > 128 }.count
        }
        XCTAssertGreaterThan(try captionInk(0.5), 500, "the hook shows the cue spoken in it")
        XCTAssertEqual(try captionInk(1.5), 0)
        XCTAssertEqual(try captionInk(2.5), 0)
        XCTAssertGreaterThan(try captionInk(5.5), 500, "the body shows it again at its own time")
    }

    func testAutoHookPicksTheEmphasizedLine() throws {
        let clip = try makeCounterClip()
        let cues = try srt("""
        1
        00:00:00,500 --> 00:00:02,000
        大家好
        hello

        2
        00:00:02,000 --> 00:00:03,500
        这很普通
        this is ordinary

        3
        00:00:03,500 --> 00:00:05,000
        视频{第一次}可以被直接优化！
        For the first time, video is directly optimizable!
        """)
        let out = workDir.appendingPathComponent("auto.mp4")
        // Only the choice (stdout) is checked: the picture is rendered small.
        let small = ["--size", "360x640"]
        let r = try reel(["render", clip.path, "-o", out.path, "--hook", "auto", "--subtitles", cues.path, "--hook-keywords", "优化"] + small)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertTrue(r.stdoutString.contains("hook 3.50–5.50 s"), r.stdoutString)
        XCTAssertTrue(r.stdoutString.contains("keyword '优化'"), r.stdoutString)
        // Deterministic: the same choice again.
        let again = try reel(["render", clip.path, "-o", out.path, "--force", "--hook", "auto", "--subtitles", cues.path, "--hook-keywords", "优化"] + small)
        XCTAssertEqual(r.stdoutString.split(separator: "\n").last, again.stdoutString.split(separator: "\n").last)
    }

    func testHookErrors() throws {
        for (args, needle) in [(["--hook", "3:2"], "ends after the end of the source"),
                               (["--hook", "9"], "starts after the end"),
                               (["--hook", "1:9"], "1 to 5 seconds"),
                               (["--hook", "soon"], "not a start time")] {
            let out = workDir.appendingPathComponent("bad.mp4")
            let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path] + args)
            XCTAssertEqual(r.exitCode, 64, r.summary)
            XCTAssertTrue(r.stderrString.contains(needle), "\(args): \(r.stderrString)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        }
    }
}
