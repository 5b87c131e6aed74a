import Foundation
import XCTest
import ReelKit

/// Synthetic 480×270 samples of a 1920×1080 dark-mode X (Twitter) page
/// (sample scale 4): a post column between two faint 1 px separators at
/// x = 644 and 1276 (sample 161 and 319), white text inside it that scrolls,
/// a static left navigation, an optional static right sidebar and an
/// optional browser-chrome band at the top.
private struct SyntheticPage {
    static let w = 480, h = 270
    static let frameWidth = 1920, frameHeight = 1080

    var chrome = true            // rows 0..<20, lighter background + tab text
    var separators = true        // column borders at sample x 161 and 319
    var sidebar = true           // static text at sample x 335..<440
    var nav = true               // static words at sample x 90..<122
    var header = true            // static column header ("Home") at rows 22..<28
    var columnText = 166..<314   // where post text may appear (samples)
    var textRows = 28..<270      // rows the post text occupies on screen
    var scrollStep = 13          // px per sample (0 = still recording)

    static let chromeRows = 20
    static let leftSeparator = 161, rightSeparator = 319

    /// Glyph-like strokes: a line of "words" made of 1 px vertical strokes.
    private static func stroke(_ x: Int, line: Int) -> Bool {
        if (x + line * 7) % 23 < 3 { return false }          // word gap
        return (x * 7 + line * 3) % 5 < 2
    }

    func sample(_ index: Int) -> GrayImage {
        let w = Self.w, h = Self.h
        var px = [UInt8](repeating: 0, count: w * h)
        func set(_ x: Int, _ y: Int, _ v: UInt8) { px[y * w + x] = v }

        // Post text, scrolled by `index * scrollStep`.
        let scroll = index * scrollStep
        for y in textRows {
            let docY = y - textRows.lowerBound + scroll
            let line = docY / 8
            guard docY % 8 < 5, line % 6 != 5 else { continue }      // line gap, paragraph gap
            let length = 60 + (line * 37) % 89
            let end = min(columnText.upperBound, columnText.lowerBound + length)
            for x in columnText.lowerBound..<end where Self.stroke(x, line: line) { set(x, y, 230) }
        }
        // Static column header ("Home") and its own bottom border.
        if header {
            for y in 22..<26 { for x in 168..<200 where Self.stroke(x, line: 0) { set(x, y, 230) } }
            for x in 162..<319 { set(x, 27, 12) }
        }
        if nav {
            for item in 0..<8 {
                let y0 = 40 + item * 20
                for y in y0..<(y0 + 5) { for x in 90..<122 where Self.stroke(x, line: item) { set(x, y, 200) } }
            }
        }
        if sidebar {
            // Search box outline (short vertical edges) and trend entries.
            for x in 333..<446 { set(x, 30, 30); set(x, 60, 30) }
            for y in 30...60 { set(333, y, 30); set(445, y, 30) }
            for entry in 0..<12 {
                let y0 = 70 + entry * 12
                let len = 40 + (entry * 29) % 60
                for y in y0..<(y0 + 4) { for x in 338..<(338 + len) where Self.stroke(x, line: entry + 3) { set(x, y, 180) } }
            }
        }
        if separators {
            for y in (chrome ? Self.chromeRows : 0)..<h {
                set(Self.leftSeparator, y, 12)
                set(Self.rightSeparator, y, 12)
            }
        }
        if chrome {
            for y in 0..<Self.chromeRows { for x in 0..<w { set(x, y, 40) } }
            for y in 6..<11 { for x in 20..<400 where Self.stroke(x, line: 1) { set(x, y, 210) } }
        }
        return GrayImage(width: w, height: h, pixels: px)
    }

    func samples(_ count: Int = 12) -> [GrayImage] { (0..<count).map(sample) }
}

/// SplitMix64: a tiny deterministic generator so "random" tests never flake.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class ContentRegionDetectorTests: XCTestCase {
    private let phonePanel = ContentRegionDetector(targetAspect: 1080.0 / 1220.0)
    private let fw = SyntheticPage.frameWidth, fh = SyntheticPage.frameHeight

    private func assertWellFormed(_ r: PixelRect, frameWidth: Int, frameHeight: Int,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.x % 2, 0, "x even: \(r)", file: file, line: line)
        XCTAssertEqual(r.y % 2, 0, "y even: \(r)", file: file, line: line)
        XCTAssertEqual(r.width % 2, 0, "width even: \(r)", file: file, line: line)
        XCTAssertEqual(r.height % 2, 0, "height even: \(r)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(r.x, 0, file: file, line: line)
        XCTAssertGreaterThanOrEqual(r.y, 0, file: file, line: line)
        XCTAssertGreaterThan(r.height, 0, file: file, line: line)
        XCTAssertLessThanOrEqual(r.x + r.width, frameWidth, "inside frame: \(r)", file: file, line: line)
        XCTAssertLessThanOrEqual(r.y + r.height, frameHeight, "inside frame: \(r)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(r.width * 5, frameWidth, "at least 1/5 wide: \(r)", file: file, line: line)
    }

    /// Column borders within 2 % of the frame width, no nav, no chrome.
    private func assertPostColumn(_ r: PixelRect, file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = Double(fw) * 0.02
        XCTAssertLessThanOrEqual(abs(Double(r.x - 644)), tolerance, "left edge \(r)", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(Double(r.x + r.width - 1276)), tolerance, "right edge \(r)", file: file, line: line)
        XCTAssertGreaterThan(r.x, 122 * 4, "excludes the left nav: \(r)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(r.y, SyntheticPage.chromeRows * 4, "excludes the chrome: \(r)", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(r.height), Double(r.width) * 1220.0 / 1080.0, "height cap: \(r)", file: file, line: line)
        assertWellFormed(r, frameWidth: fw, frameHeight: fh, file: file, line: line)
    }

    func testDescriptionMatchesCropFlagSyntax() {
        XCTAssertEqual(PixelRect(x: 644, y: 80, width: 632, height: 714).description, "644:80:632:714")
    }

    func testExplanationIsOneLine() {
        XCTAssertFalse(ContentRegionDetector.explanation.isEmpty)
        XCTAssertFalse(ContentRegionDetector.explanation.contains("\n"))
        XCTAssertTrue(ContentRegionDetector.explanation.hasPrefix("auto:"))
    }

    /// (1) Scrolling post column between separators, static nav, sidebar and chrome.
    func testScrollingColumnBetweenSeparators() throws {
        let page = SyntheticPage()
        let r = try XCTUnwrap(phonePanel.detect(samples: page.samples(), frameWidth: fw, frameHeight: fh))
        assertPostColumn(r)
        XCTAssertLessThan(r.x + r.width, 335 * 4, "excludes the right sidebar: \(r)")
    }

    /// (1b) The same without a chrome band or sidebar, and a sample count of 2.
    func testScrollingColumnWithoutChromeOrSidebar() throws {
        var page = SyntheticPage()
        page.chrome = false
        page.sidebar = false
        let r = try XCTUnwrap(phonePanel.detect(samples: page.samples(2), frameWidth: fw, frameHeight: fh))
        assertPostColumn(r)
    }

    /// (2) Still recording: identical samples, found by the spatial fallback.
    func testStillPageFallsBackToTextDensity() throws {
        var page = SyntheticPage()
        page.scrollStep = 0
        let r = try XCTUnwrap(phonePanel.detect(samples: page.samples(), frameWidth: fw, frameHeight: fh))
        assertPostColumn(r)
        XCTAssertLessThan(r.x + r.width, 335 * 4, "excludes the right sidebar: \(r)")

        // A single sample works the same way.
        let single = try XCTUnwrap(phonePanel.detect(samples: [page.sample(0)], frameWidth: fw, frameHeight: fh))
        XCTAssertEqual(single, r)
    }

    /// Without separator lines the band is the text plus a small margin.
    func testStillPageWithoutSeparatorsUsesTextBandWithMargin() throws {
        var page = SyntheticPage()
        page.scrollStep = 0
        page.separators = false
        let r = try XCTUnwrap(phonePanel.detect(samples: page.samples(4), frameWidth: fw, frameHeight: fh))
        let tolerance = Double(fw) * 0.03
        XCTAssertLessThanOrEqual(abs(Double(r.x - 166 * 4)), tolerance, "\(r)")
        XCTAssertLessThanOrEqual(abs(Double(r.x + r.width - 314 * 4)), tolerance, "\(r)")
        XCTAssertGreaterThan(r.x, 122 * 4, "excludes the left nav: \(r)")
        XCTAssertLessThan(r.x + r.width, 335 * 4, "excludes the right sidebar: \(r)")
        assertWellFormed(r, frameWidth: fw, frameHeight: fh)
    }

    /// (3) Nothing on screen: nil, the caller uses the full frame.
    func testUniformBlackIsNil() {
        let black = GrayImage(width: 480, height: 270, pixels: [UInt8](repeating: 0, count: 480 * 270))
        XCTAssertNil(phonePanel.detect(samples: Array(repeating: black, count: 12), frameWidth: fw, frameHeight: fh))
        XCTAssertNil(phonePanel.detect(samples: [black], frameWidth: fw, frameHeight: fh))
        XCTAssertNil(phonePanel.detect(samples: [], frameWidth: fw, frameHeight: fh))
    }

    /// A narrow strip of activity (< 1/5 of the frame wide) on an otherwise
    /// blank page is not worth featuring.
    func testNarrowActivityIsNil() {
        var page = SyntheticPage()
        page.chrome = false; page.separators = false; page.sidebar = false; page.nav = false
        page.columnText = 200..<240
        XCTAssertNil(phonePanel.detect(samples: page.samples(), frameWidth: fw, frameHeight: fh))
    }

    /// Malformed samples (wrong pixel count, other sizes) are ignored.
    func testIgnoresMismatchedSamples() throws {
        let page = SyntheticPage()
        var samples = page.samples()
        let clean = try XCTUnwrap(phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh))
        samples.insert(GrayImage(width: 100, height: 50, pixels: [UInt8](repeating: 255, count: 5000)), at: 3)
        samples.append(GrayImage(width: 480, height: 270, pixels: [1, 2, 3]))
        XCTAssertEqual(phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh), clean)
        XCTAssertNil(phonePanel.detect(samples: samples, frameWidth: 0, frameHeight: fh))
    }

    /// (4) Determinism: same input twice (and a fresh detector) → same output.
    func testDeterministic() {
        let samples = SyntheticPage().samples()
        let a = phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh)
        let b = phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh)
        let c = ContentRegionDetector(targetAspect: 1080.0 / 1220.0).detect(samples: samples, frameWidth: fw, frameHeight: fh)
        XCTAssertNotNil(a)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, c)
    }

    /// (5) A tall column is clipped to width / targetAspect from the top of its activity
    /// down (where a scrolled page is read and where it rests at its end).
    func testTallColumnIsClippedFromTheTopOfItsActivity() throws {
        var page = SyntheticPage()
        page.chrome = false; page.separators = false; page.sidebar = false; page.nav = false; page.header = false
        page.columnText = 180..<290          // ~110 samples = 440 px wide
        page.textRows = 60..<270             // frame rows 240..<1080
        let square = ContentRegionDetector(targetAspect: 1.0)
        let r = try XCTUnwrap(square.detect(samples: page.samples(), frameWidth: fw, frameHeight: fh))
        assertWellFormed(r, frameWidth: fw, frameHeight: fh)
        XCTAssertLessThanOrEqual(r.height, r.width, "\(r)")
        XCTAssertGreaterThanOrEqual(r.height, r.width - 2, "clipped, not shrunk: \(r)")
        XCTAssertGreaterThanOrEqual(r.y, 240 - 16, "no rows above the activity: \(r)")
        XCTAssertLessThanOrEqual(r.y, 240 + 16, "starts where the activity starts: \(r)")

        // With no aspect cap the full active height comes back.
        let uncapped = ContentRegionDetector(targetAspect: .infinity)
        let full = try XCTUnwrap(uncapped.detect(samples: page.samples(), frameWidth: fw, frameHeight: fh))
        XCTAssertGreaterThan(full.height, 800, "\(full)")
        XCTAssertEqual(full.x, r.x)
        XCTAssertEqual(full.width, r.width)
    }

    /// (6) Random noise of odd sizes: any result is even-aligned and inside the frame.
    func testNoiseResultsAreEvenAndInsideFrame() {
        var rng = SplitMix64(state: 0x5EED)
        let detector = ContentRegionDetector(targetAspect: 1080.0 / 1220.0)
        for _ in 0..<12 {
            let w = Int.random(in: 8...97, using: &rng)
            let h = Int.random(in: 8...61, using: &rng)
            let frameWidth = Int.random(in: 17...1999, using: &rng)
            let frameHeight = Int.random(in: 17...1999, using: &rng)
            let n = Int.random(in: 1...6, using: &rng)
            let samples = (0..<n).map { _ in
                GrayImage(width: w, height: h, pixels: (0..<(w * h)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            }
            if let r = detector.detect(samples: samples, frameWidth: frameWidth, frameHeight: frameHeight) {
                assertWellFormed(r, frameWidth: frameWidth, frameHeight: frameHeight)
                XCTAssertLessThanOrEqual(Double(r.height), Double(r.width) * 1220.0 / 1080.0 + 1e-9, "\(r)")
            }
        }
        // Full-size noise as well (everything changes: the whole frame is "content").
        let samples = (0..<4).map { _ in
            GrayImage(width: 480, height: 270, pixels: (0..<(480 * 270)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        if let r = detector.detect(samples: samples, frameWidth: 1919, frameHeight: 1079) {
            assertWellFormed(r, frameWidth: 1919, frameHeight: 1079)
        }
    }

    /// Speed: 12 samples of 480×270. The budget is loose because debug builds
    /// are far slower than release; the measured time is printed.
    func testTwelveSamplesAreFast() {
        let samples = SyntheticPage().samples()
        _ = phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh)
        let runs = 10
        let start = Date()
        for _ in 0..<runs { _ = phonePanel.detect(samples: samples, frameWidth: fw, frameHeight: fh) }
        let perCall = Date().timeIntervalSince(start) / Double(runs)
        print(String(format: "ContentRegionDetector: %.2f ms per detect() (12 × 480x270)", perCall * 1000))
        XCTAssertLessThan(perCall, 2.0)
    }
}
