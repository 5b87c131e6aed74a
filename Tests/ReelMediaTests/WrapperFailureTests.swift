import XCTest
@testable import ReelMedia

/// A wrapper whose C object fails to open must free it exactly once: a class's deinit runs
/// when its initializer throws after every stored property is set, so an error path that also
/// frees it freed it twice (an abort, or heap corruption that surfaces later; AddressSanitizer
/// names it at once: `Scripts/sanitize address --filter WrapperFailureTests`).
final class WrapperFailureTests: XCTestCase {
    func testEncoderThatFailsToOpenIsFreedOnce() throws {
        // A typo in the preset, and an odd width (4:2:0 needs even sizes): libx264 refuses
        // to open either.
        var typo = VideoEncoderSettings()
        typo.preset = "veryfsat"
        var odd = VideoEncoderSettings()
        odd.width = 65; odd.height = 64
        for settings in [typo, odd, typo, odd] {
            XCTAssertThrowsError(try Encoder(video: settings, globalHeader: false)) {
                // (An unknown preset may also be refused by name before libx264 is asked.)
                XCTAssertEqual(($0 as? MediaError)?.kind, .unavailable)
            }
        }
    }

    func testWorkingEncoderStillOpens() throws {
        var settings = VideoEncoderSettings()
        settings.width = 64; settings.height = 64
        XCTAssertEqual(try Encoder(video: settings, globalHeader: false).name, "libx264")
    }
}

/// Found by `Scripts/fuzz media`: a Matroska file that opens but whose stream information
/// cannot be read made `Demuxer` close its context on the error path and again in deinit
/// (a segfault in avformat_close_input). The input is stored in Tests/Fuzz/crashes/media.
final class DemuxerFailureTests: XCTestCase {
    func testStreamInfoFailureIsAClearErrorNotADoubleClose() throws {
        let input = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/crashes/media/demuxer-stream-info-fails.mkv").standardizedFileURL.path
        for _ in 0..<3 {
            XCTAssertThrowsError(try Demuxer(path: input)) {
                XCTAssertEqual(($0 as? MediaError)?.kind, .invalidInput)
                XCTAssertTrue("\($0)".contains("cannot read stream information"), "\($0)")
            }
        }
    }
}
