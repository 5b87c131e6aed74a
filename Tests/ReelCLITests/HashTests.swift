// `reel hash` against ffmpeg's own framemd5, render determinism, and --compare.

import Foundation
import XCTest

final class HashTests: ReelTestCase {
    /// The (size, md5) columns of framemd5 text, frame lines only.
    func hashColumns(_ text: String) -> [String] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            line.split(separator: ",").suffix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
    }

    func testHashMatchesFFmpegFramemd5() throws {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        // phone-rotated: both turn the picture upright by its display matrix first.
        for fixture in ["recording-16x9.mp4", "vp9.webm", "anim.gif", "vfr.mkv", "tenbit.mkv", "phone-rotated.mp4"] {
            let path = Paths.fixture("media/\(fixture)").path
            let ours = try reel(["hash", path])
            XCTAssertEqual(ours.exitCode, 0, ours.summary)
            let theirs = try runProcess(ffmpeg, ["-v", "error", "-flags", "+bitexact", "-i", path, "-map", "0:v", "-f", "framemd5", "-"])
            XCTAssertEqual(theirs.exitCode, 0, theirs.summary)
            let a = hashColumns(ours.stdoutString), b = hashColumns(theirs.stdoutString)
            XCTAssertFalse(a.isEmpty, fixture)
            XCTAssertEqual(a, b, "\(fixture): reel hash and ffmpeg framemd5 disagree")
            XCTAssertTrue(ours.stdoutString.hasPrefix("#format: frame checksums\n#version: 2\n#hash: MD5\n"), fixture)
        }
    }

    func testAudioHashesAndJSON() throws {
        let path = Paths.fixture("media/recording-16x9.mp4").path
        let r = try reel(["hash", path, "--audio"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertTrue(r.stdoutString.contains("#codec_id 1: pcm_s16le"))
        XCTAssertTrue(r.stdoutString.split(separator: "\n").contains { $0.hasPrefix("1, ") })
        let j = try reel(["hash", path, "--format", "json"])
        XCTAssertEqual(j.exitCode, 0, j.summary)
        let frames = try JSONSerialization.jsonObject(with: j.stdout) as? [[String: Any]]
        XCTAssertEqual(frames?.count, 120)
        XCTAssertNotNil(frames?.first?["md5"] as? String)
    }

    func composedHashes(_ extra: [String], name: String) throws -> String {
        let out = workDir.appendingPathComponent("\(name).mp4")
        let hashes = workDir.appendingPathComponent("\(name).framemd5")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path, "--force", "--quiet",
                          "--preset", "ultrafast", "--trim", "0:1.5", "--frame-hashes", hashes.path] + extra)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        return try String(contentsOf: hashes, encoding: .utf8)
    }

    func testComposedHashesAreDeterministicAcrossRunsAndThreads() throws {
        let a = try composedHashes([], name: "a")
        let b = try composedHashes([], name: "b")
        let t1 = try composedHashes(["--threads", "1"], name: "t1")
        let t4 = try composedHashes(["--threads", "4"], name: "t4")
        XCTAssertEqual(hashColumns(a).count, 45)
        XCTAssertEqual(a, b, "two identical renders composed different frames")
        XCTAssertEqual(t1, t4, "--threads 1 and --threads 4 composed different frames")
    }

    func testDeterministicOutputIsByteIdentical() throws {
        var files: [Data] = []
        for name in ["d1", "d2"] {
            let out = workDir.appendingPathComponent("\(name).mp4")
            let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path, "--force",
                              "--quiet", "--deterministic", "--trim", "0:1.5"])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            files.append(try Data(contentsOf: out))
        }
        XCTAssertEqual(files[0], files[1], "--deterministic renders differ")
    }

    func testCompare() throws {
        let a = workDir.appendingPathComponent("a.mp4"), b = workDir.appendingPathComponent("b.mp4")
        let input = Paths.fixture("media/recording-16x9.mp4").path
        // --compare's verdicts do not depend on the picture size: 360x640 decodes and compares a ninth of the pixels.
        let small = ["--size", "360x640"]
        XCTAssertEqual(try reel(["render", input, "-o", a.path, "--quiet", "--crf", "18", "--trim", "0:1", "--preset", "ultrafast"] + small).exitCode, 0)
        XCTAssertEqual(try reel(["render", input, "-o", b.path, "--quiet", "--crf", "30", "--trim", "0:1", "--preset", "ultrafast"] + small).exitCode, 0)
        let same = try reel(["hash", a.path, "--compare", a.path])
        XCTAssertEqual(same.exitCode, 0, same.summary)
        XCTAssertTrue(same.stdoutString.contains("identical: 30 frames"), same.stdoutString)
        let differ = try reel(["hash", a.path, "--compare", b.path])
        XCTAssertEqual(differ.exitCode, 1, differ.summary)
        XCTAssertTrue(differ.stdoutString.contains("first difference: frame 0"), differ.stdoutString)
        XCTAssertTrue(differ.stdoutString.contains("PSNR"), differ.stdoutString)
        let tolerated = try reel(["hash", a.path, "--compare", b.path, "--tolerance", "20"])
        XCTAssertEqual(tolerated.exitCode, 0, tolerated.summary)
    }
}
