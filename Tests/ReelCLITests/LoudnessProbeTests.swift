// `reel probe --loudness` against ffmpeg's own ebur128 summary.

import Foundation
import XCTest

final class LoudnessProbeTests: ReelTestCase {
    /// ffmpeg's `ebur128=peak=true+sample` end-of-stream summary: (I, LRA, sample peak, true peak).
    func ffmpegLoudness(_ file: URL) throws -> (integrated: Double, range: Double, samplePeak: Double, truePeak: Double) {
        let report = try audioFilterReport(file, filter: "ebur128=peak=true+sample")
        guard let start = report.range(of: "Summary:") else { throw TestFailure("no ebur128 summary:\n\(report.suffix(1500))") }
        let summary = String(report[start.upperBound...])
        func number(after label: String, from section: String? = nil) throws -> Double {
            var text = Substring(summary)
            if let section, let r = text.range(of: section) { text = text[r.upperBound...] }
            guard let r = text.range(of: label),
                  let v = Double(text[r.upperBound...].split(whereSeparator: \.isWhitespace).first ?? "") else {
                throw TestFailure("no \(label) in ebur128 summary:\n\(summary)")
            }
            return v
        }
        return (try number(after: "I:"), try number(after: "LRA:"),
                try number(after: "Peak:", from: "Sample peak:"), try number(after: "Peak:", from: "True peak:"))
    }

    func makeAudio(_ name: String, _ arguments: [String]) throws -> URL {
        let out = workDir.appendingPathComponent(name)
        let r = try runProcess(Tools.ffmpeg!, ["-nostdin", "-v", "error", "-y"] + arguments + [out.path])
        guard r.exitCode == 0 else { throw TestFailure("making \(name): \(r.summary)") }
        return out
    }

    func testLoudnessAgreesWithFFmpegEbur128() throws {
        let files = [
            // 44.1 kHz AAC whose left channel steps by 14 dB every 2 s (a loudness range); reel and ffmpeg both resample to 48 kHz.
            try makeAudio("steps.m4a", ["-f", "lavfi", "-i",
                "aevalsrc=0.4*sin(2*PI*440*t)*(0.2+0.8*gt(mod(t\\,4)\\,2))|0.25*sin(2*PI*660*t+1):s=44100:d=12",
                "-c:a", "aac", "-b:a", "160k"]),
            // Stereo pink noise at 48 kHz: dense inter-sample peaks.
            try makeAudio("pink.wav", ["-f", "lavfi", "-i", "anoisesrc=d=8:c=pink:r=48000:a=0.6:seed=3",
                "-af", "pan=stereo|c0=c0|c1=0.7*c0", "-c:a", "pcm_s16le"]),
            // A 997 Hz sine at -20 dBFS on both channels.
            try makeAudio("sine.wav", ["-f", "lavfi", "-i", "aevalsrc=0.1*sin(2*PI*997*t)|0.1*sin(2*PI*997*t):s=48000:d=5",
                "-c:a", "pcm_f32le"]),
        ]
        for file in files {
            let theirs = try ffmpegLoudness(file)
            let r = try reel(["probe", file.path, "--loudness", "--json"])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.stdoutString)
            let ours = try XCTUnwrap(json["loudness"] as? [String: Any], "no loudness in \(r.stdoutString)")
            let name = file.lastPathComponent
            XCTAssertEqual(try XCTUnwrap(ours.num("integrated")), theirs.integrated, accuracy: 0.5, "\(name) integrated")
            XCTAssertEqual(try XCTUnwrap(ours.num("range")), theirs.range, accuracy: 0.5, "\(name) range")
            XCTAssertEqual(try XCTUnwrap(ours.num("samplePeak")), theirs.samplePeak, accuracy: 0.5, "\(name) sample peak")
            XCTAssertEqual(try XCTUnwrap(ours.num("truePeak")), theirs.truePeak, accuracy: 0.5, "\(name) true peak")

            let text = try reel(["probe", file.path, "--loudness"])
            XCTAssertEqual(text.exitCode, 0, text.summary)
            XCTAssertTrue(text.stdoutString.contains(String(format: "loudness: %.1f LUFS integrated", try XCTUnwrap(ours.num("integrated")))),
                          text.stdoutString)
        }
    }

    func testNoAudioStreamIsSaidNotFailed() throws {
        let path = Paths.fixture("media/noaudio.mp4").path
        let text = try reel(["probe", path, "--loudness"])
        XCTAssertEqual(text.exitCode, 0, text.summary)
        XCTAssertTrue(text.stdoutString.contains("loudness: no audio stream"), text.stdoutString)
        let json = try reel(["probe", path, "--loudness", "--json"])
        XCTAssertEqual(json.exitCode, 0, json.summary)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        XCTAssertNil(object["loudness"])
        XCTAssertNotNil(object["streams"])
    }
}
