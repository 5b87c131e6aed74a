import XCTest
@testable import ReelMedia

/// Pixel kernels and frame allocation fail loudly: a blend onto the wrong pixel format used to
/// return silently (a caption or the presenter vanished from the video with no error), and a
/// failed `av_frame_get_buffer` was followed by force-unwrapped plane pointers (a crash).
final class FrameFailureTests: XCTestCase {
    private func rgb(_ w: Int, _ h: Int) throws -> Frame {
        try Frame(RGBImage(width: w, height: h, pixels: [UInt8](repeating: 200, count: w * h * 3)))
    }

    private func yuva(_ w: Int, _ h: Int, alpha: UInt8 = 255) throws -> Frame {
        try Frame(yuvaLuma: [UInt8](repeating: 180, count: w * h), alpha: [UInt8](repeating: alpha, count: w * h), width: w, height: h)
    }

    private let white = Overlay(solid: (y: 235, cb: 128, cr: 128), width: 4, height: 4)

    private func assertInternalFailure(_ body: @autoclosure () throws -> Void, mentions: String,
                                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) {
            XCTAssertEqual(($0 as? MediaError)?.kind, .internalFailure, file: file, line: line)
            XCTAssertTrue("\($0)".contains(mentions), "\($0)", file: file, line: line)
        }
    }

    func testBlendsRefuseTheWrongPixelFormat() throws {
        assertInternalFailure(try rgb(8, 8).blend(white, x: 0, y: 0), mentions: "needs a yuv420p frame, not rgb24")
        assertInternalFailure(try yuva(8, 8).blend(white, x: 0, y: 0), mentions: "not yuva420p")
        assertInternalFailure(try rgb(8, 8).blend(picture: yuva(4, 4), x: 0, y: 0), mentions: "not rgb24")
        let canvas = try yuva(8, 8)
        assertInternalFailure(try canvas.blend(picture: yuva(4, 4), x: 0, y: 0), mentions: "needs a yuv420p frame")
        assertInternalFailure(try rgb(8, 8).multiplyAlpha(by: [UInt8](repeating: 0, count: 64)), mentions: "not rgb24")
        assertInternalFailure(try yuva(8, 8).multiplyAlpha(by: [0, 1, 2]), mentions: "3 values for a 8x8")
    }

    func testBlendsStillDrawOnTheRightFormat() throws {
        // A yuv420p canvas from a yuva picture blended over black through the RGB → YUV path is
        // more than needed: convert the RGB frame with libswscale (what the renderer does).
        let canvas = try XCTUnwrap(FilterGraph(FilterChain([.format("yuv420p")]), input: try rgb(8, 8), timeBase: Rational(1, 1))
            .process(try rgb(8, 8)).first)
        try canvas.blend(white, x: 0, y: 0)
        try canvas.blend(picture: yuva(2, 2), x: 4, y: 4)
        XCTAssertEqual(canvas.color.pixelFormat, "yuv420p")
        let masked = try yuva(4, 4)
        try masked.multiplyAlpha(by: [UInt8](repeating: 0, count: 16))
        // Fully transparent now: blending it changes nothing.
        let before = FrameHasher.md5(video: canvas).hash
        try canvas.blend(picture: masked, x: 0, y: 0)
        XCTAssertEqual(FrameHasher.md5(video: canvas).hash, before)
        try canvas.blend(white, x: 0, y: 0, opacity: 0)   // nothing to draw is not an error
    }

    func testFailedBufferAllocationThrowsInsteadOfCrashing() throws {
        // libav refuses a 0x0 picture and an audio frame of no samples (EINVAL): the planes
        // stay nil, which used to be force-unwrapped.
        XCTAssertThrowsError(try Frame(RGBImage(width: 0, height: 0, pixels: []))) {
            XCTAssertTrue("\($0)".contains("cannot allocate"), "\($0)")
        }
        XCTAssertThrowsError(try Frame(yuvaLuma: [], alpha: [], width: 0, height: 0))
        let aac = try Encoder(aacSampleRate: 48000, bitrate: 192_000, globalHeader: false)
        XCTAssertThrowsError(try aac.makeAudioFrame([[], []], range: 0..<0, pts: 0))
        let ok = try aac.makeAudioFrame([[0.5, -0.5], [0.25, 0]], range: 0..<2, pts: 7)
        XCTAssertEqual(ok.sampleCount, 2)
        XCTAssertEqual(ok.pts, 7)
    }
}
