import XCTest
import ReelMedia
@testable import ReelKit

/// The canvas reuse policy (`ScreenLayer`, `Compositor`): a screen canvas is kept for a repeat
/// only when one is likely, and a canvas nobody keeps is drawn into in place (no full-frame
/// copy); a kept canvas is never changed by the layers drawn over it.
final class CanvasReuseTests: XCTestCase {
    static let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/media")

    /// A layer that writes into the picture below it (inverts its top-left luma sample), and
    /// records whether the compositor handed the picture over.
    final class Marker: Layer {
        var owned: [Bool] = []
        func state(_ c: LayerContext) throws -> LayerState? { LayerState(values: [Double(c.slot)]) }
        func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
            owned.append(c.ownsPicture)
            let out = c.target(picture)
            out.perturbOnePixel()
            return out
        }
    }

    private func setUp(threads: Int = 1) throws -> (ScreenLayer, Marker, Compositor, [Frame]) {
        let demuxer = try Demuxer(path: Self.media.appendingPathComponent("recording-16x9.mp4").path)
        let index = try XCTUnwrap(demuxer.bestStream(.video))
        let decoded = DecodedFrames(demuxer, decoder: try Decoder(demuxer, stream: index, threads: 1))
        var frames: [Frame] = []
        while frames.count < 12, let f = try decoded.next() { frames.append(f) }
        let json = #"{"rotation":0,"mirrored":false,"storedWidth":640,"storedHeight":360,"sampleAspect":{"num":1,"den":1}}"#
        let source = try JSONDecoder().decode(SourcePicture.self, from: Data(json.utf8))
        let composer = CanvasComposer(canvasWidth: 360, canvasHeight: 640, crop: PixelRect(x: 0, y: 0, width: 640, height: 360),
                                      panel: PixelRect(x: 0, y: 218, width: 360, height: 202), background: .blur, source: source,
                                      bitexact: true)
        let screen = ScreenLayer(composer: composer, threads: threads, path: "test", perturbOnePixel: false)
        let marker = Marker()
        return (screen, marker, Compositor([screen, marker]), frames)
    }

    private func context(_ source: SourceFrame, slot: Int, nextSame: Bool = false) -> LayerContext {
        var c = LayerContext(source: source, time: Double(slot) / 30, segment: EditList.Segment(sourceStart: 0, frames: nil, outputStart: 0),
                             slot: slot, afterHook: false)
        c.nextShowsSameSource = nextSame
        return c
    }

    func testChangingFramesAreDrawnInPlace() throws {
        let (_, marker, compositor, frames) = try setUp()
        var outputs: [Frame] = []
        for (i, f) in frames.enumerated() { outputs.append(try compositor.compose(context(SourceFrame(frame: f, seconds: 0, segment: 0), slot: i))) }
        // Nothing keeps a canvas that no repeat can use: the layer above writes into it.
        XCTAssertEqual(marker.owned, [Bool](repeating: true, count: frames.count))
        XCTAssertFalse(outputs[0].sharesPixels(with: outputs[1]))
    }

    func testAKeptCanvasIsCopiedAndStaysClean() throws {
        // A frame-rate conversion shows the same decoded frame twice: the canvas is kept, so
        // the marker draws on a copy and the second frame gets the clean canvas again.
        let (screen, marker, compositor, frames) = try setUp()
        let same = SourceFrame(frame: frames[0], seconds: 0, segment: 0)
        let a = try compositor.compose(context(same, slot: 0, nextSame: true))
        let b = try compositor.compose(context(same, slot: 1))
        XCTAssertEqual(marker.owned, [false, false])
        // Each is the canvas with one sample inverted; had the first inversion reached the kept
        // canvas, the second frame would show it inverted twice (back to the canvas).
        XCTAssertTrue(a.hasSamePixels(as: b), "the first frame's drawing leaked into the kept canvas")
        XCTAssertEqual(screen.reused, 0)   // the same decoded frame: not a source repeat
    }

    func testAStillStretchKeepsItsCanvasFromTheFirstRepeat() throws {
        // Four decoded frames with the same pixels (a still screen): the first canvas is not
        // kept (drawn in place), the first repeat builds it again and keeps it, the next reuse it;
        // canvases stay kept for `repeatWindow` changing frames after a repeat, then not.
        let (screen, marker, compositor, frames) = try setUp(threads: 2)
        var outputs: [Frame] = []
        for slot in 0..<4 {
            let source = SourceFrame(frame: frames[0].reference(), seconds: Double(slot) / 30, segment: 0)
            outputs.append(try compositor.compose(context(source, slot: slot)))
        }
        XCTAssertEqual(marker.owned, [true, false, false, false])
        XCTAssertEqual(screen.reused, 2)
        for o in outputs.dropFirst() { XCTAssertTrue(o.hasSamePixels(as: outputs[0]), "a repeat's frame differs") }
        let window = ScreenLayer.repeatWindow
        for k in 1...(window + 1) {
            let next = SourceFrame(frame: frames[k], seconds: Double(3 + k) / 30, segment: 0)
            let changed = try compositor.compose(context(next, slot: 3 + k))
            XCTAssertFalse(changed.hasSamePixels(as: outputs[0]))
        }
        XCTAssertEqual(Array(marker.owned.suffix(window + 1)), [Bool](repeating: false, count: window - 1) + [true, true])
    }
}
