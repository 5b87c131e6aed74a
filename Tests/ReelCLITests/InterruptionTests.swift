// Signals at every stage of a render (probe and loudness passes, encoding, the final MP4
// rewrite), a closed or full stdout, a full stderr, and temporary files of killed runs.
// A stopped render exits 128 + signal with one line and leaves nothing; a render the signal
// came too late for exits 0 with a complete file. Never a second error, a crash or a hang.

import Foundation
import XCTest

final class InterruptionTests: ReelTestCase {
    func makeRecording(seconds: Int = 3) throws -> URL {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let url = workDir.appendingPathComponent("rec.mp4")
        let r = try runProcess(ffmpeg, ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=\(seconds)",
                                        "-f", "lavfi", "-i", "sine=f=440:duration=\(seconds)", "-c:v", "libx264", "-preset", "ultrafast",
                                        "-c:a", "aac", url.path])
        guard r.exitCode == 0 else { throw TestFailure(r.summary) }
        return url
    }

    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workDir.path)) ?? []).filter { $0.contains(".reel-") }
    }

    /// Starts reel with stdout/stderr to files (or the given handles).
    func start(_ args: [String], stdout: FileHandle? = nil, stderr: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let p = Process()
        p.executableURL = Paths.reel
        p.arguments = args
        p.currentDirectoryURL = workDir
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: stderr)
        try p.run()
        return p
    }

    func testSignalsAtEveryStage() throws {
        let rec = try makeRecording()
        let args = ["render", rec.path, "-o", "out.mp4", "--size", "360x640", "--preset", "ultrafast", "--quiet", "--force"]
        // How long an uninterrupted render takes here, to spread the signals over all of it.
        let t0 = Date()
        let plain = try reel(args)
        XCTAssertEqual(plain.exitCode, 0, plain.summary)
        let whole = Date().timeIntervalSince(t0)
        try FileManager.default.removeItem(at: workDir.appendingPathComponent("out.mp4"))

        let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
        // Denser towards the end, where the MP4 is finished and rewritten (moov moved first).
        let fractions = [0.05, 0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.88, 0.93, 0.97, 1.0, 1.03]
        var stopped = 0, finished = 0
        var failures: [String] = []
        for (i, f) in fractions.enumerated() {
            let sig = signals[i % signals.count]
            let errURL = workDir.appendingPathComponent("stderr-\(i).txt")
            let p = try start(args, stderr: errURL)
            usleep(useconds_t(f * whole * 1_000_000))
            let sent = Date()
            kill(p.processIdentifier, sig)
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning { p.interrupt(); kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            let latency = Date().timeIntervalSince(sent)
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: errURL)
            let out = workDir.appendingPathComponent("out.mp4")
            let status = p.terminationStatus, reason = p.terminationReason
            var problems: [String] = []
            if latency > 10 { problems.append("took \(latency) s to stop") }
            if reason != .exit {
                // Only before reel installed its handlers (process start-up), when it has
                // written nothing, may the signal's default action end it.
                if status != sig || FileManager.default.fileExists(atPath: out.path) { problems.append("killed by signal \(status)") }
            } else if status == 128 + sig {
                stopped += 1
                if FileManager.default.fileExists(atPath: out.path) { problems.append("output left after an interruption") }
                let lines = err.split(separator: "\n")
                if lines.count != 1 || !lines[0].hasPrefix("reel: interrupted") { problems.append("stderr: \(err.prefix(400))") }
            } else if status == 0 {
                finished += 1
                // Too late to stop: the file must be whole.
                let info = try ffprobeJSON(out, ["-show_format"])
                let duration = Double(((info["format"] as? [String: Any])?["duration"] as? String) ?? "") ?? 0
                if abs(duration - 3) > 0.1 { problems.append("exit 0 with a \(duration) s file") }
                if !err.isEmpty { problems.append("exit 0 but stderr: \(err.prefix(400))") }
            } else {
                problems.append("exit \(status), expected \(128 + sig) or 0; stderr: \(err.prefix(400))")
            }
            try? FileManager.default.removeItem(at: out)
            if !leftovers().isEmpty { problems.append("temporary files left: \(leftovers())") }
            if !problems.isEmpty { failures.append("signal \(sig) at \(String(format: "%.2f", f * whole)) s: " + problems.joined(separator: "; ")) }
        }
        XCTAssert(failures.isEmpty, failures.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(stopped, 3, "too few signals arrived while the render ran (\(stopped) stopped, \(finished) finished)")
    }

    /// `reel render … --progress json | head -n1`: the reader goes away; reel stops as SIGPIPE
    /// would (141) and removes its partial output instead of dying with it in place.
    func testClosedStdoutStopsTheRender() throws {
        let rec = try makeRecording(seconds: 6)
        let pipe = Pipe()
        let errURL = workDir.appendingPathComponent("stderr.txt")
        let p = try start(["render", rec.path, "-o", "out.mp4", "--size", "360x640", "--preset", "ultrafast", "--progress", "json"],
                          stdout: pipe.fileHandleForWriting, stderr: errURL)
        try pipe.fileHandleForWriting.close()
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        try pipe.fileHandleForReading.close()
        p.waitUntilExit()
        XCTAssertTrue(String(decoding: first, as: UTF8.self).contains("\"event\":\"start\""))
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 141, (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("out.mp4").path))
        XCTAssertEqual(leftovers(), [])
    }

    /// A full stdout (--progress json) is a write error (73), a full stderr loses messages
    /// but never crashes reel or changes its exit code.
    func testFullStdoutAndStderr() throws {
        let rec = try makeRecording(seconds: 1)
        let full = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let errURL = workDir.appendingPathComponent("stderr.txt")
        var p = try start(["render", rec.path, "-o", "a.mp4", "--size", "144x256", "--progress", "json"], stdout: full, stderr: errURL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 73)
        XCTAssertTrue(try String(contentsOf: errURL, encoding: .utf8).contains("reel: stdout: cannot write progress"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("a.mp4").path))

        for (args, code) in [(["render", rec.path, "-o", "b.mp4", "--size", "144x256"], Int32(0)),
                             (["render", "missing.mp4", "-o", "c.mp4"], Int32(66)),
                             (["render", rec.path, "-o", "d.mp4", "--duck", "nan"], Int32(64))] {
            p = Process()
            p.executableURL = Paths.reel
            p.arguments = args
            p.currentDirectoryURL = workDir
            p.standardOutput = full
            p.standardError = full
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .exit, "\(args)")
            XCTAssertEqual(p.terminationStatus, code, "\(args)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("b.mp4").path))
        XCTAssertEqual(leftovers(), [])
    }

    /// A SIGKILLed render leaves `.NAME.reel-PID.mp4`; the next render in that folder removes
    /// it once that process is gone, and leaves a live process's file alone.
    func testStaleTemporaryFilesAreRemoved() throws {
        let rec = try makeRecording(seconds: 1)
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = workDir.appendingPathComponent(".old.mp4.reel-\(dead.processIdentifier).mp4")
        let live = workDir.appendingPathComponent(".other.mp4.reel-\(getpid()).mp4")
        let unrelated = workDir.appendingPathComponent(".notes.reel-12.txt")
        for url in [stale, live, unrelated] { _ = FileManager.default.createFile(atPath: url.path, contents: Data("partial".utf8)) }
        let r = try reel(["render", rec.path, "-o", "new.mp4", "--size", "144x256", "--quiet"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "stale temporary file of a dead process kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path), "a live process's temporary file was removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: unrelated.path), "a file that is not reel's was removed")
    }

    /// SIGTERM while reel starts up — before, around and after the handlers' installation —
    /// is never lost or ignored. Either it ended reel by its default action before `main`
    /// (nothing written), or the render stopped: exit 143, one line, no output, no temporary
    /// file. A render that ran to the end (exit 0) lost the signal. The delays spread over
    /// 2.5 × the time reel takes to start and exit here (0.05 s idle, 0.7 s on a busy machine).
    func testSignalsAtStartupAreNeverLost() throws {
        let rec = try makeRecording(seconds: 6)
        let args = ["render", rec.path, "-o", "out.mp4", "--size", "360x640", "--preset", "ultrafast", "--quiet", "--force"]
        let out = workDir.appendingPathComponent("out.mp4")
        let t0 = Date()
        _ = try reel(["probe", workDir.appendingPathComponent("none.mp4").path])
        let startup = Date().timeIntervalSince(t0)
        let delays = (0..<10).map { Int(Double($0) / 9 * (2.5 * startup + 0.05) * 1000) }
        var byDefault = 0, stopped = 0
        var failures: [String] = []
        for (i, delay) in delays.enumerated() {
            let errURL = workDir.appendingPathComponent("stderr-\(i).txt")
            let p = try start(args, stderr: errURL)
            usleep(useconds_t(delay * 1000))
            guard p.isRunning else { p.waitUntilExit(); try? FileManager.default.removeItem(at: out); continue }   // done before the signal
            kill(p.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL); failures.append("\(delay) ms: still running 30 s after SIGTERM") }
            p.waitUntilExit()
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: errURL)
            var problems: [String] = []
            if p.terminationReason == .uncaughtSignal {
                if p.terminationStatus == SIGTERM { byDefault += 1 } else { problems.append("killed by signal \(p.terminationStatus)") }
            } else if p.terminationStatus == 143 {
                stopped += 1
                let lines = err.split(separator: "\n")
                if lines.count != 1 || !lines[0].hasPrefix("reel: interrupted (SIGTERM)") { problems.append("stderr: \(err.prefix(300))") }
            } else {
                problems.append("exit \(p.terminationStatus) (the signal was lost): \(err.prefix(300))")
            }
            if FileManager.default.fileExists(atPath: out.path) { problems.append("output left") }
            if !leftovers().isEmpty { problems.append("temporary files left: \(leftovers())") }
            if !problems.isEmpty { failures.append("\(delay) ms: " + problems.joined(separator: "; ")) }
            try? FileManager.default.removeItem(at: out)
        }
        print("start-up signals: \(byDefault) by the default action, \(stopped) stopped the render (start-up \(startup) s, delays \(delays) ms)")
        XCTAssertEqual(failures, [], "default action \(byDefault), stopped \(stopped), start-up \(startup) s")
        XCTAssertGreaterThan(stopped, 0, "no SIGTERM reached a running reel (all \(byDefault) before main): the test shows nothing")
    }
}
