import XCTest
import ReelMedia
@testable import ReelKit

/// The render draws a blurred-fill canvas in parts (the panel's graph, the small fill's graph,
/// `PanelCanvas` scaling the fill up only outside the panel and copying the panel in); it must
/// give exactly the pixels of the one libavfilter graph (split, scale, overlay) it replaces,
/// with and without bit-exact scaling, for full-width and narrower panels, at the panel's
/// edges, and when a fill repeats (its rows are copied from the canvas before).
final class CanvasPartsTests: XCTestCase {
    static let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/media")

    /// The first `count` decoded frames of a fixture, each given three times in a row at
    /// `repeatAt` (a canvas is kept for a repeated fill from its second repeat on).
    private func frames(_ name: String, count: Int, repeatAt: Set<Int> = []) throws -> [Frame] {
        let demuxer = try Demuxer(path: Self.media.appendingPathComponent(name).path)
        let index = try XCTUnwrap(demuxer.bestStream(.video))
        let decoded = DecodedFrames(demuxer, decoder: try Decoder(demuxer, stream: index, threads: 1))
        var out: [Frame] = []
        while out.count < count, let f = try decoded.next() {
            out.append(f)
            if repeatAt.contains(out.count - 1) { out += [f.reference(), f.reference()] }
        }
        return out
    }

    private func source(_ w: Int, _ h: Int) throws -> SourcePicture {
        let json = #"{"rotation":0,"mirrored":false,"storedWidth":\#(w),"storedHeight":\#(h),"sampleAspect":{"num":1,"den":1}}"#
        return try JSONDecoder().decode(SourcePicture.self, from: Data(json.utf8))
    }

    /// Every frame through both ways; returns how many fills the parts' way reused.
    @discardableResult
    private func compare(_ name: String, canvas: (Int, Int), crop: PixelRect, panel: PixelRect, bitexact: Bool,
                         threads: Int = 1, repeatAt: Set<Int> = [], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let input = try frames(name, count: 6, repeatAt: repeatAt)
        let first = try XCTUnwrap(input.first)
        let composer = CanvasComposer(canvasWidth: canvas.0, canvasHeight: canvas.1, crop: crop, panel: panel,
                                      background: .blur, source: try source(first.width, first.height), bitexact: bitexact)
        let tb = Rational(1, 1_000_000)
        let oneGraph = ReconfiguringFilter(timeBase: tb, threads: threads) { f in composer.graph(for: f.color, width: f.width, height: f.height) }
        let panelGraph = ReconfiguringFilter(timeBase: tb, threads: threads) { f in
            FilterChain(composer.panelChain(for: f.color, width: f.width, height: f.height))
        }
        let fillGraph = ReconfiguringFilter(FilterChain(composer.fillChain), timeBase: tb, threads: threads)
        let parts = composer.panelCanvas(threads: threads)
        for (i, frame) in input.enumerated() {
            let f = frame.reference()
            f.pts = 0
            let expected = try XCTUnwrap(try oneGraph.picture(from: f))
            let p = try XCTUnwrap(try panelGraph.picture(from: f))
            let small = try XCTUnwrap(try fillGraph.picture(from: p))
            let got = try parts.canvas(panel: p, fill: small)
            XCTAssertEqual(got.width, canvas.0, file: file, line: line)
            XCTAssertEqual(got.height, canvas.1, file: file, line: line)
            XCTAssertTrue(got.hasSamePixels(as: expected), "\(name) frame \(i): the parts differ from the one graph", file: file, line: line)
            XCTAssertEqual(got.color, expected.color, file: file, line: line)
            XCTAssertEqual(got.storedSampleAspect, expected.storedSampleAspect, file: file, line: line)
        }
        if panel.x == 0, panel.width == canvas.0 {
            XCTAssertTrue(parts.scalesOnlyFillRows, "libswscale was not asked for the fill's rows only", file: file, line: line)
        }
        return parts.fillsReused
    }

    func testFullWidthPanelHD() throws {
        // The split layout's shape at full size (8x upscale of a 134x240 fill), both scalers.
        for bitexact in [true, false] {
            try compare("recording-16x9.mp4", canvas: (1080, 1920), crop: PixelRect(x: 0, y: 0, width: 640, height: 360),
                        panel: PixelRect(x: 0, y: 356, width: 1080, height: 608), bitexact: bitexact)
        }
    }

    func testNarrowPanelAndEdges() throws {
        // A panel narrower than the canvas (fill on its left and right), one at the top, one at
        // the bottom, a full-range BT.601 source (colour conversion in the panel's graph).
        try compare("recording-16x9.mp4", canvas: (360, 640), crop: PixelRect(x: 200, y: 0, width: 240, height: 360),
                    panel: PixelRect(x: 60, y: 100, width: 240, height: 360), bitexact: true)
        try compare("recording-16x9.mp4", canvas: (360, 640), crop: PixelRect(x: 0, y: 0, width: 640, height: 360),
                    panel: PixelRect(x: 0, y: 0, width: 360, height: 202), bitexact: false)
        try compare("fullrange-bt601.mp4", canvas: (360, 640), crop: PixelRect(x: 0, y: 0, width: 320, height: 240),
                    panel: PixelRect(x: 0, y: 370, width: 360, height: 270), bitexact: true)
    }

    func testRepeatedFillAndThreads() throws {
        // A repeated frame repeats the small fill: from the second repeat on, its rows come
        // from the canvas before (the first repeat starts keeping the canvas).
        let reused = try compare("recording-16x9.mp4", canvas: (720, 1280), crop: PixelRect(x: 0, y: 0, width: 640, height: 360),
                                 panel: PixelRect(x: 0, y: 438, width: 720, height: 404), bitexact: false, threads: 2, repeatAt: [1, 5])
        XCTAssertGreaterThanOrEqual(reused, 2)
    }
}
