import XCTest
@testable import ReelMedia

final class ProbeTests: XCTestCase {
    static let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/media").standardizedFileURL

    func path(_ name: String) -> String { Self.media.appendingPathComponent(name).path }

    func testConstantRateFilesAreNotVariable() throws {
        for name in ["recording-16x9.mp4", "phone-rotated.mp4", "noaudio.mp4", "anamorphic.mp4"] {
            let info = try Probe.inspect(path: path(name))
            XCTAssertEqual(info.video?.isVariableFrameRate, false, name)
        }
    }

    func testVariableFrameRateIsDetected() throws {
        XCTAssertEqual(try Probe.inspect(path: path("vfr.mkv")).video?.isVariableFrameRate, true)
    }

    func testRotationAndDisplaySize() throws {
        let v = try XCTUnwrap(Probe.inspect(path: path("phone-rotated.mp4")).video)
        XCTAssertEqual(v.width, 320)
        XCTAssertEqual(v.height, 180)
        XCTAssertEqual(v.rotation.map { $0 % 180 }, 90)
        XCTAssertEqual(v.displaySize?.width, 180)
        XCTAssertEqual(v.displaySize?.height, 320)
    }

    func testNonSquarePixels() throws {
        let v = try XCTUnwrap(Probe.inspect(path: path("anamorphic.mp4")).video)
        XCTAssertEqual(v.sampleAspectRatio, Rational(4, 3))
        XCTAssertEqual(v.displaySize?.width, 640)
        XCTAssertEqual(v.displaySize?.height, 360)
    }

    func testAudioFormat() throws {
        let a = try XCTUnwrap(Probe.inspect(path: path("mono44k.mp4")).audio)
        XCTAssertEqual(a.sampleRate, 44100)
        XCTAssertEqual(a.channels, 1)
        XCTAssertNil(try Probe.inspect(path: path("noaudio.mp4")).audio)
    }

    func testTenBit() throws {
        XCTAssertEqual(try Probe.inspect(path: path("tenbit.mkv")).video?.bitDepth, 10)
    }

    func testBadFilesAreClearErrors() {
        let bad = Self.media.deletingLastPathComponent().appendingPathComponent("bad")
        for (name, kind) in [("empty.mp4", MediaError.Kind.invalidInput), ("notmedia.mp4", .invalidInput), ("missing.mp4", .notFound)] {
            XCTAssertThrowsError(try Probe.inspect(path: bad.appendingPathComponent(name).path), name) { error in
                let e = error as? MediaError
                XCTAssertEqual(e?.kind, kind, name)
                XCTAssertTrue(e?.description.contains(name) ?? false, "\(String(describing: e))")
            }
        }
    }

    func testIntervalsRule() {
        XCTAssertFalse(Probe.isVariable(Array(repeating: 1.0 / 30, count: 50)))
        XCTAssertFalse(Probe.isVariable((0..<50).map { $0 % 2 == 0 ? 0.033 : 0.034 }))   // 1 ms clock rounding
        XCTAssertTrue(Probe.isVariable((0..<50).map { $0 % 5 == 0 ? 0.066 : 0.033 }))
    }
}
