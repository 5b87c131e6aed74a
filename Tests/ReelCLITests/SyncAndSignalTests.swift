// Audio/video sync and interruption, checked with ffmpeg (never with reel).
// Inputs are made at test time with the ffmpeg CLI: a black clip with one white flash and
// a 1 kHz beep starting at the same instant.

import Foundation
import XCTest

final class SyncAndSignalTests: ReelTestCase {
    /// Makes a clip whose picture flashes white and whose audio beeps at `event` seconds.
    /// `vfr` gives it irregular frame timestamps; `audioRate`/`channels` vary the audio.
    func makeFlashBeep(duration: Double, event: Double, vfr: Bool = false, audioRate: Int = 44100,
                       channels: Int = 1, name: String = "sync.mkv") throws -> URL {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let out = workDir.appendingPathComponent(name)
        let flash = "drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(t,\(event),\(event + 0.2))'"
        // The VFR variant drops frames (gaps of 1 to 2 frame periods) and jitters the rest by
        // up to 16 ms, keeping every kept frame near its own time.
        let timing = vfr ? ",select='not(eq(mod(n\\,3)\\,1))+eq(mod(n\\,7)\\,0)',setpts='PTS+0.004*mod(N\\,5)/TB'" : ""
        let beep = "sine=f=1000:sample_rate=\(audioRate):d=\(duration),volume='if(between(t,\(event),\(event + 0.2))," + "1,0)':eval=frame"
        let args = ["-v", "error", "-y",
                    "-f", "lavfi", "-i", "color=c=black:s=320x240:r=30:d=\(duration),format=yuv420p,\(flash)\(timing)",
                    "-f", "lavfi", "-i", beep,
                    "-ac", "\(channels)", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    "-fps_mode", vfr ? "passthrough" : "cfr", out.path]
        let r = try runProcess(ffmpeg, args)
        guard r.exitCode == 0 else { throw TestFailure("making the flash/beep clip failed: \(r.summary)") }
        return out
    }

    /// Time of the first output frame whose mean luma is bright, and of the first loud audio
    /// sample, both measured by decoding with ffmpeg.
    func flashAndBeepTimes(_ file: URL) throws -> (video: Double, audio: Double) {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let v = try runProcess(ffmpeg, ["-v", "error", "-i", file.path, "-map", "0:v", "-vf", "scale=32:32,format=gray",
                                        "-f", "rawvideo", "-"])
        let frameBytes = 32 * 32
        var videoTime = -1.0
        let bytes = [UInt8](v.stdout)
        for i in 0..<(bytes.count / frameBytes) {
            // The panel is in the middle of the canvas: its centre row brightens on the flash.
            let mean = bytes[(i * frameBytes)..<((i + 1) * frameBytes)].reduce(0) { $0 + Int($1) } / frameBytes
            if mean > 60 { videoTime = Double(i) / 30; break }
        }
        let a = try runProcess(ffmpeg, ["-v", "error", "-i", file.path, "-map", "0:a", "-ac", "1", "-ar", "48000",
                                        "-f", "s16le", "-"])
        var audioTime = -1.0
        a.stdout.withUnsafeBytes { raw in
            let s = raw.bindMemory(to: Int16.self)
            for i in 0..<s.count where abs(Int(s[i])) > 3000 { audioTime = Double(i) / 48000; break }
        }
        return (videoTime, audioTime)
    }

    func assertInSync(_ out: URL, event: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let (v, a) = try flashAndBeepTimes(out)
        XCTAssertGreaterThanOrEqual(v, 0, "no flash found", file: file, line: line)
        XCTAssertGreaterThanOrEqual(a, 0, "no beep found", file: file, line: line)
        XCTAssertEqual(v, event, accuracy: 1.0 / 30 + 0.001, "flash at \(v) s", file: file, line: line)
        XCTAssertEqual(a, event, accuracy: 1.0 / 30, "beep at \(a) s", file: file, line: line)
        XCTAssertEqual(a, v, accuracy: 1.0 / 30 + 0.001, "audio \(a) s vs video \(v) s", file: file, line: line)
    }

    func renderFile(_ input: URL, _ extra: [String] = []) throws -> URL {
        let out = workDir.appendingPathComponent("out.mp4")
        let r = try reel(["render", input.path, "-o", out.path, "--force", "--quiet", "--preset", "ultrafast"] + extra)
        guard r.exitCode == 0 else { throw TestFailure("render failed: \(r.summary)") }
        return out
    }

    func testFlashAndBeepStayTogether() throws {
        let input = try makeFlashBeep(duration: 4, event: 2.5)
        try assertInSync(try renderFile(input), event: 2.5)
    }

    func testSyncSurvivesVariableFrameRateAndResampling() throws {
        let input = try makeFlashBeep(duration: 6, event: 5.0, vfr: true, audioRate: 22050, channels: 1)
        try assertInSync(try renderFile(input), event: 5.0)
    }

    func testSyncAfterTrim() throws {
        let input = try makeFlashBeep(duration: 5, event: 3.0)
        try assertInSync(try renderFile(input, ["--trim", "1.5:5"]), event: 1.5)
    }

    /// SIGTERM in the middle of a render: exit 143, nothing at the output path, no temp file.
    func testTerminationRemovesPartialOutput() throws {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let input = workDir.appendingPathComponent("long.mp4")
        let made = try runProcess(ffmpeg, ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=640x360:r=30:d=120",
                                           "-c:v", "libx264", "-preset", "ultrafast", input.path])
        XCTAssertEqual(made.exitCode, 0, made.summary)
        let out = workDir.appendingPathComponent("cut.mp4")
        let process = Process()
        process.executableURL = Paths.reel
        process.arguments = ["render", input.path, "-o", out.path, "--quiet"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the render has really started writing (its temporary file exists).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && temporaryFiles().isEmpty { usleep(50_000) }
        XCTAssertFalse(temporaryFiles().isEmpty, "no temporary output appeared")
        usleep(500_000)
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "partial output left at \(out.path)")
        XCTAssertEqual(temporaryFiles(), [], "temporary files left behind")
    }

    func temporaryFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workDir.path)) ?? []).filter { $0.contains(".reel-") }
    }
}
