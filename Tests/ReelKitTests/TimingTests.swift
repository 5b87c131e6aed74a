import XCTest
@testable import ReelKit

final class FrameClockTests: XCTestCase {
    func slots(_ times: [Double], fps: Int, end: Double?, sourceEnd: Double) -> [Int] {
        var clock = FrameClock<Int>(fps: fps, endTime: end)
        var shown: [Int] = []
        for (i, t) in times.enumerated() { shown += clock.add(i, at: t).map(\.item) }
        shown += clock.finish(sourceEnd: sourceEnd).map(\.item)
        return shown
    }

    func testSameRatePassesThrough() {
        let times = (0..<30).map { Double($0) / 30 }
        XCTAssertEqual(slots(times, fps: 30, end: nil, sourceEnd: 1.0), Array(0..<30))
    }

    func testLowerRateDuplicatesByTimestamp() {
        let times = (0..<10).map { Double($0) / 10 }   // 10 fps for 1 s
        let out = slots(times, fps: 30, end: nil, sourceEnd: 1.0)
        XCTAssertEqual(out.count, 30)
        XCTAssertEqual(out, (0..<30).map { $0 / 3 })
    }

    func testHigherRateDropsByTimestamp() {
        let times = (0..<60).map { Double($0) / 60 }
        let out = slots(times, fps: 30, end: nil, sourceEnd: 1.0)
        XCTAssertEqual(out.count, 30)
        XCTAssertEqual(out[1], 2)
    }

    func testVariableRateHasNoDrift() {
        // 10 minutes of jittery timestamps around 29.97 fps: the output frame count is set by
        // the timestamps alone.
        var t = 0.0, times: [Double] = []
        var k = 0
        while t < 600 { times.append(t); t += (k % 3 == 0 ? 0.040 : 0.030); k += 1 }
        let out = slots(times, fps: 30, end: nil, sourceEnd: t)
        XCTAssertEqual(out.count, Int((t * 30).rounded()))
        // The frame shown at 5:00 is the source frame at or just before 5:00.
        let shown = out[9000]
        XCTAssertLessThanOrEqual(times[shown], 300.0 + 1.0 / 60)
        XCTAssertGreaterThan(times[shown + 1], 300.0 - 1.0 / 60)
    }

    func testLateFirstFrameFillsTheStart() {
        let out = slots([0.5, 0.6], fps: 10, end: nil, sourceEnd: 0.7)
        XCTAssertEqual(out, [0, 0, 0, 0, 0, 0, 1])
    }

    func testFixedEndStopsAndTrimStartUsesHeldFrame() {
        var clock = FrameClock<Int>(fps: 10, endTime: 0.3)
        var out: [Int] = []
        for (i, t) in [-0.15, -0.05, 0.05, 0.15, 0.25, 0.35, 0.45].enumerated() {
            out += clock.add(i, at: t).map(\.item)
        }
        XCTAssertTrue(clock.isComplete)
        XCTAssertEqual(out, [1, 2, 3])
    }

    func testSourceShorterThanTrimEnd() {
        var clock = FrameClock<Int>(fps: 10, endTime: 5)
        _ = clock.add(0, at: 0)
        XCTAssertEqual(clock.finish(sourceEnd: 0.3).count, 3)
    }
}

final class AudioTimelineTests: XCTestCase {
    func ones(_ n: Int) -> [[Float]] { [Array(repeating: 1, count: n), Array(repeating: 1, count: n)] }

    func testContinuousChunksIgnoreJitter() {
        var tl = AudioTimeline(sampleRate: 1000, tolerance: 0.1)
        let a = tl.place(ones(100), at: 0)
        let b = tl.place(ones(100), at: 0.103)   // 3 ms of timestamp jitter
        XCTAssertEqual(a.map(\.position), [0])
        XCTAssertEqual(b.map(\.position), [100])
    }

    func testLateStartAndGapBecomeSilence() {
        var tl = AudioTimeline(sampleRate: 1000, tolerance: 0.1)
        let a = tl.place(ones(100), at: 0.5)
        XCTAssertEqual(a.map(\.position), [0, 500])
        XCTAssertEqual(a[0].channels[0].count, 500)
        let b = tl.place(ones(100), at: 1.0)    // 400 ms gap
        XCTAssertEqual(b.map(\.position), [600, 1000])
    }

    func testSamplesBeforeStartAreDropped() {
        var tl = AudioTimeline(sampleRate: 1000, tolerance: 0.1)
        let a = tl.place(ones(100), at: -0.05)
        XCTAssertEqual(a.map(\.position), [0])
        XCTAssertEqual(a[0].channels[0].count, 50)
        XCTAssertEqual(tl.place(ones(10), at: 0.05).map(\.position), [50])
    }
}

final class LayoutTests: XCTestCase {
    func testWideContentFitsWidthInUpperMiddle() {
        let l = PanelLayout(canvasWidth: 1080, canvasHeight: 1920, content: (1920, 1080), safeArea: .douyin)
        XCTAssertEqual(l.panel.width, 1080)
        XCTAssertEqual(l.panel.height, 606)
        // Centred in the band between the top (220) and bottom (480) UI.
        XCTAssertEqual(l.panel.y + l.panel.height / 2, 830, accuracy: 2)
        XCTAssertLessThan(l.panel.y + l.panel.height / 2, 960)
    }

    func testTallContentFitsTheSafeBand() {
        let l = PanelLayout(canvasWidth: 1080, canvasHeight: 1920, content: (180, 320), safeArea: .douyin)
        XCTAssertEqual(l.panel.height, 1220)
        XCTAssertGreaterThanOrEqual(l.panel.y, 220)
        XCTAssertLessThanOrEqual(l.panel.y + l.panel.height, 1920 - 480)
        XCTAssertEqual(l.panel.x, (1080 - l.panel.width) / 2 & ~1)
    }

    func testEvenGeometryOnOtherCanvas() {
        let l = PanelLayout(canvasWidth: 720, canvasHeight: 1280, content: (641, 359), safeArea: .douyin)
        for v in [l.panel.x, l.panel.y, l.panel.width, l.panel.height] { XCTAssertEqual(v % 2, 0) }
        XCTAssertEqual(l.panel.width, 720)
    }
}

final class RenderFlagsTests: XCTestCase {
    func testCrop() throws {
        XCTAssertEqual(try RenderFlags.parseCrop("auto"), .auto)
        XCTAssertEqual(try RenderFlags.parseCrop("10:20:300:200"), .rect(PixelRect(x: 10, y: 20, width: 300, height: 200)))
        XCTAssertEqual(try RenderFlags.parseCrop("11:21:301:201"), .rect(PixelRect(x: 12, y: 22, width: 300, height: 200)))
        XCTAssertThrowsError(try RenderFlags.parseCrop("1:2:3"))
        XCTAssertThrowsError(try RenderFlags.parseCrop("a:b:c:d"))
    }

    func testTrim() throws {
        XCTAssertEqual(try RenderFlags.parseTrim("1.5:3").0, 1.5)
        XCTAssertEqual(try RenderFlags.parseTrim(":3").1, 3)
        XCTAssertNil(try RenderFlags.parseTrim("2:").1)
        XCTAssertThrowsError(try RenderFlags.parseTrim("3:1"))
        XCTAssertThrowsError(try RenderFlags.parseTrim("x:1"))
        XCTAssertThrowsError(try RenderFlags.parseTrim("5"))
    }

    func testSizeAndBackground() throws {
        XCTAssertTrue(try RenderFlags.parseSize("720x1280") == (720, 1280))
        XCTAssertThrowsError(try RenderFlags.parseSize("721x1280"))
        XCTAssertThrowsError(try RenderFlags.parseSize("99999x2"))
        XCTAssertEqual(try RenderFlags.parseBackground("#203040"), .color(red: 0x20, green: 0x30, blue: 0x40))
        XCTAssertEqual(try RenderFlags.parseBackground("blur"), .blur)
        XCTAssertThrowsError(try RenderFlags.parseBackground("#2030"))
    }
}

final class FrameHashFileTests: XCTestCase {
    func testRoundTrip() throws {
        var f = FrameHashFile()
        var s = FrameHashFile.Stream(timeBase: .init(1, 30), mediaType: "video", codecID: "rawvideo")
        s.width = 1080; s.height = 1920
        f.streams = [s]
        f.notes = ["libavcodec: 59.37.100"]
        f.entries = [.init(stream: 0, dts: 0, pts: 0, duration: 1, size: 3110400, md5: "0123456789abcdef0123456789abcdef")]
        let parsed = try FrameHashFile.parse(f.text)
        XCTAssertEqual(parsed, f)
        XCTAssertTrue(f.text.contains("0,          0,          0,        1,  3110400, 0123456789abcdef0123456789abcdef"))
    }

    func testBrokenLineNamesTheLine() {
        XCTAssertThrowsError(try FrameHashFile.parse("#format: frame checksums\n0, 1, 2\n", path: "x.framemd5")) { e in
            XCTAssertTrue("\(e)".contains("x.framemd5: line 2"), "\(e)")
        }
    }
}
