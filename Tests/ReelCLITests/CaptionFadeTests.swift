import XCTest

/// Captions fade in and out over 4 frames: the fading frames show the caption at partial
/// strength (measured with ffmpeg), not at full strength and not missing.
final class CaptionFadeTests: ReelTestCase {
    func testCaptionFadesOut() throws {
        let srt = workDir.appendingPathComponent("fade.srt")
        try "1\n00:00:00,000 --> 00:00:02,000\n淡入淡出\nfade out\n".write(to: srt, atomically: true, encoding: .utf8)
        let out = try render("media/recording-16x9.mp4", ["--subtitles", srt.path, "--background", "#000000", "--trim", ":2.5"])
        /// Light above black in the caption band (under the screen panel, over the black fill).
        func ink(_ t: Double) throws -> Double {
            let f = try decodeFrame(out, pixFmt: "gray", filter: "crop=1080:240:0:1200", width: 1080, height: 240, seek: t)
            return Double(f.bytes.reduce(0) { $0 + max(0, Int($1) - 20) })
        }
        let full = try ink(1.0)
        XCTAssertGreaterThan(full, 100_000, "the caption is on screen")
        // Frame 58 (1.933 s) is 2 frames from the cue's end: opacity 0.5.
        let half = try ink(58.0 / 30 - 0.005) / full
        XCTAssertGreaterThan(half, 0.3, "a fading caption is still drawn (\(half) of full)")
        XCTAssertLessThan(half, 0.7, "a fading caption is fainter (\(half) of full)")
        print("CaptionFadeTests: frame 58 at \(half) of the full caption's ink")
        XCTAssertEqual(try ink(2.1), 0, accuracy: full * 0.01, "gone after its end")
    }
}
