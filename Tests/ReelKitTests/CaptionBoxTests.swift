import XCTest
@testable import ReelKit
@testable import ReelMedia
import ReelText

/// Captions get a box only where they would lie over the screen panel (the recording's own
/// text behind bare captions makes both unreadable), unless told always or never.
final class CaptionBoxTests: XCTestCase {
    /// Fraction of the overlay's pixels at least 150/255 opaque: about 1 with a box
    /// (the rounded box, 215 or #..99 = 153, covers the block), a fraction for bare text.
    private func inkedFraction(panel: PixelRect?, box: String = "auto") throws -> Double {
        var style = CaptionStyle()
        XCTAssertTrue(style.setBox(box))
        let track = try SubtitleTrack(cues: [Cue(start: 0, end: 2, chinese: "视频第一次可以被直接优化", english: "Video is directly optimizable", line: 1)],
                                      style: style, canvasWidth: 1080, canvasHeight: 1920, safeArea: .douyin, fps: 30,
                                      captionBottom: 1100, screenPanel: panel)
        let placed = try XCTUnwrap(try track.overlay(at: 1))
        let a = placed.overlay.alpha
        return Double(a.filter { $0 >= 150 }.count) / Double(a.count)
    }

    func testBoxOnlyOverTheScreen() throws {
        let over = PixelRect(x: 0, y: 220, width: 1080, height: 1220)     // pip: the screen fills the band
        let above = PixelRect(x: 0, y: 220, width: 1080, height: 600)     // split: the screen ends above the captions
        XCTAssertGreaterThan(try inkedFraction(panel: over), 0.9, "over the screen: boxed")
        XCTAssertLessThan(try inkedFraction(panel: above), 0.5, "clear of the screen: bare text")
        XCTAssertLessThan(try inkedFraction(panel: nil), 0.5, "no screen panel known: bare text")
        XCTAssertLessThan(try inkedFraction(panel: over, box: "none"), 0.5, "none: never a box")
        XCTAssertGreaterThan(try inkedFraction(panel: above, box: "#00000099"), 0.9, "a colour: always a box")
        var style = CaptionStyle()
        XCTAssertFalse(style.setBox("blue-ish"), "not a colour, auto or none")
    }
}
