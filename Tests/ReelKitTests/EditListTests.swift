import XCTest
@testable import ReelKit

/// The edit list's arithmetic: frame-exact segments, sample-exact audio, clear errors.
final class EditListTests: XCTestCase {
    func testHookThenBodyAt30fps() throws {
        let e = try EditList(ranges: [EditRange(from: 20, to: 22), EditRange(from: 0, to: nil)], sourceDuration: 45, fps: 30, hookCount: 1)
        XCTAssertEqual(e.segments.count, 2)
        XCTAssertEqual(e.segments[0].frames, 60)
        XCTAssertTrue(e.segments[0].isHook)
        XCTAssertEqual(e.segments[1].outputStart, 60)
        XCTAssertNil(e.segments[1].frames, "the body runs to the source's real end")
        XCTAssertEqual(e.sourceTime(ofFrame: 0)!, 20, accuracy: 1e-9)
        XCTAssertEqual(e.sourceTime(ofFrame: 59)!, 20 + 59.0 / 30, accuracy: 1e-9)
        XCTAssertEqual(e.sourceTime(ofFrame: 60)!, 0, accuracy: 1e-9)
        XCTAssertEqual(e.sourceTime(ofFrame: 61)!, 1.0 / 30, accuracy: 1e-9)
        XCTAssertEqual(e.cuts, [2.0])
    }

    func testNTSCAndPALSourcesStayFrameExact() throws {
        // A 29.97 fps source cut at its own frame times: output frames are counted by the
        // output rate, so a 2 s hook is exactly 60 frames at 30 and 50 at 25.
        let ntscFrame = 1001.0 / 30000
        let a = try EditList(ranges: [EditRange(from: 300 * ntscFrame, to: 360 * ntscFrame), EditRange(from: 0, to: 10)],
                             sourceDuration: 20, fps: 30, hookCount: 1)
        XCTAssertEqual(a.segments[0].frames, 60)    // 2.002 s → 60.06 → 60 frames
        XCTAssertEqual(a.segments[1].frames, 300)
        XCTAssertEqual(a.totalFrames, 360)
        let b = try EditList(ranges: [EditRange(from: 4, to: 6), EditRange(from: 0, to: 8.02)], sourceDuration: 9, fps: 25, hookCount: 1)
        XCTAssertEqual(b.segments.map(\.frames), [50, 201])   // 8.02 s × 25 = 200.5 → 201 (round half away, like the fps filter)
        // Audio: each segment is a whole number of 48 kHz samples per frame.
        XCTAssertEqual(48000 % 25, 0); XCTAssertEqual(48000 % 30, 0)
    }

    func testRangesTouchingTheEnds() throws {
        let e = try EditList(ranges: [EditRange(from: 0, to: 2), EditRange(from: 43, to: 45)], sourceDuration: 45, fps: 30)
        XCTAssertEqual(e.segments[0].frames, 60)
        XCTAssertNil(e.segments[1].frames, "a last range reaching the end stays open")
        // Half a frame past the end still counts as the end.
        XCTAssertNoThrow(try EditList(ranges: [EditRange(from: 40, to: 45.01)], sourceDuration: 45, fps: 30))
        // An open range that is not last is closed at the source's end.
        let f = try EditList(ranges: [EditRange(from: 40, to: nil), EditRange(from: 0, to: 1)], sourceDuration: 45, fps: 30)
        XCTAssertEqual(f.segments[0].frames, 150)
        XCTAssertEqual(f.segments[1].outputStart, 150)
    }

    func testInvalidRangesAreClearErrors() {
        func message(_ ranges: [EditRange]) -> String? {
            do { _ = try EditList(ranges: ranges, sourceDuration: 45, fps: 30); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(message([]), "the edit list is empty")
        XCTAssertTrue(message([EditRange(from: 10, to: 5)])!.contains("end must be after start"))
        XCTAssertTrue(message([EditRange(from: -1, to: 5)])!.contains("start must be ≥ 0"))
        XCTAssertTrue(message([EditRange(from: 50, to: 52)])!.contains("starts after the end of the source"))
        XCTAssertTrue(message([EditRange(from: 44, to: 47)])!.contains("ends after the end of the source"))
        XCTAssertTrue(message([EditRange(from: 1, to: 1.01)])!.contains("shorter than one frame"))
        XCTAssertTrue(message([EditRange(from: 0, to: 2), EditRange(from: 3, to: 2)])!.hasPrefix("edit range 2"))
    }

    func testLocate() throws {
        let e = try EditList(ranges: [EditRange(from: 5, to: 6), EditRange(from: 0, to: 1)], sourceDuration: 10, fps: 30)
        XCTAssertEqual(e.locate(frame: 29)?.segment, 0)
        XCTAssertEqual(e.locate(frame: 30)?.segment, 1)
        XCTAssertEqual(e.locate(frame: 30)?.local, 0)
        XCTAssertNil(e.locate(frame: 60))
        XCTAssertNil(e.locate(frame: -1))
    }

    func testHookFlagGrammar() throws {
        XCTAssertEqual(try RenderFlags.hook("31.2"), .range(start: 31.2, duration: 2))
        XCTAssertEqual(try RenderFlags.hook("31.2:3"), .range(start: 31.2, duration: 3))
        XCTAssertEqual(try RenderFlags.hook("auto"), .auto(duration: 2))
        XCTAssertEqual(try RenderFlags.hook("auto:1.5"), .auto(duration: 1.5))
        XCTAssertNil(try RenderFlags.hook("off"))
        XCTAssertThrowsError(try RenderFlags.hook("3:9"))
        XCTAssertThrowsError(try RenderFlags.hook("x"))
        XCTAssertThrowsError(try RenderFlags.hook("1:2:3"))
    }
}
