// A destination on a full disk: a 300 KiB tmpfs (mounted as root; skipped otherwise).
// Every kind of output fails with "No space left on device" under the name the user gave,
// exit 73, and the partial file is removed.

import Foundation
import XCTest

final class FullDiskTests: ReelTestCase {
    func testFullDiskIsReportedAndThePartialFileRemoved() throws {
        let small = workDir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard getuid() == 0, let mount = Paths.which("mount"), let umount = Paths.which("umount"),
              try runProcess(mount, ["-t", "tmpfs", "-o", "size=300k", "tmpfs", small.path]).exitCode == 0 else {
            throw XCTSkip("needs root to mount a small tmpfs")
        }
        defer { _ = try? runProcess(umount, [small.path]) }
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let rec = workDir.appendingPathComponent("rec.mp4")
        let made = try runProcess(ffmpeg, ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=6",
                                           "-c:v", "libx264", "-preset", "ultrafast", rec.path])
        XCTAssertEqual(made.exitCode, 0, made.summary)
        let runs: [[String]] = [
            ["render", rec.path, "-o", "small/out.mp4", "--size", "360x640", "--preset", "ultrafast", "--quiet"],
            ["render", rec.path, "-o", "small/out.mp4", "--size", "360x640", "--preset", "ultrafast", "--quiet",
             "--frame-hashes", "small/out.framemd5"],
            ["sheet", rec.path, "-o", "small/sheet.png", "--width", "1000", "--count", "16", "--quiet"],
        ]
        for args in runs {
            let r = try reel(args)
            XCTAssertEqual(r.exitCode, 73, r.summary)
            let lines = r.stderrString.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, r.summary)
            XCTAssertTrue(lines.first?.contains("No space left on device") ?? false, r.summary)
            XCTAssertTrue(lines.first?.hasPrefix("reel: small/") ?? false, "names the destination as given: \(r.summary)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: small.path), [], "partial files left")
        }
    }
}
