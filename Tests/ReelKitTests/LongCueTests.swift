import XCTest
@testable import ReelKit
@testable import ReelMedia
import ReelText

/// A cue at the length limit (Chinese, or one English word with no break opportunity) is
/// laid out in bounded time and into a picture no wider than the canvas: font lookups are
/// cached, and text too long for 8 lines is cut where the width runs out, 8 lines at most,
/// instead of being drawn as one line tens of thousands of pixels wide (or 7 000 tall).
final class LongCueTests: XCTestCase {
    func layoutSeconds(_ text: String, english: String = "") throws -> (seconds: Double, width: Int, height: Int) {
        let track = try SubtitleTrack(cues: [Cue(start: 0, end: 2, chinese: text, english: english, line: 1)],
                                      style: CaptionStyle(), canvasWidth: 1080, canvasHeight: 1920, safeArea: .douyin, fps: 30,
                                      captionBottom: 1500)
        let started = Date()
        let placed = try XCTUnwrap(try track.overlay(at: 1))
        return (Date().timeIntervalSince(started), placed.overlay.width, placed.overlay.height)
    }

    func testCuesAtTheLengthLimitAreBounded() throws {
        let limit = ResourceLimits().cueLength
        for (label, zh, en) in [("Chinese", String(repeating: "汉", count: limit), ""),
                                ("one English word", "", String(repeating: "a", count: limit))] {
            let r = try layoutSeconds(zh, english: en)
            XCTAssertLessThanOrEqual(r.width, 1080, "\(label): a picture wider than the canvas")
            XCTAssertLessThanOrEqual(r.height, 1920, "\(label): a picture taller than the canvas")
            // Debug build on a shared 2-core machine: uncached and drawn whole this took minutes.
            XCTAssertLessThan(r.seconds, 20, "\(label): \(r.seconds) s")
            print("long cue (\(label), \(limit) characters): \(String(format: "%.2f", r.seconds)) s, \(r.width)x\(r.height)")
        }
    }
}
