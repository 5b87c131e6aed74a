import XCTest
@testable import ReelMedia

/// A wrapper whose C object fails to open must free it exactly once: a class's deinit runs
/// when its initializer throws after every stored property is set, so an error path that also
/// frees it freed it twice (an abort, or heap corruption that surfaces later; AddressSanitizer
/// names it at once: `Scripts/sanitize address --filter WrapperFailureTests`).
final class WrapperFailureTests: XCTestCase {
    func testEncoderThatFailsToOpenIsFreedOnce() throws {
        for _ in 0..<3 {
            var settings = VideoEncoderSettings()
            settings.preset = "veryfsat"   // a typo: libx264 refuses to open
            XCTAssertThrowsError(try Encoder(video: settings, globalHeader: false)) {
                XCTAssertEqual(($0 as? MediaError)?.kind, .unavailable)
                XCTAssertTrue("\($0)".contains("cannot open encoder"), "\($0)")
            }
        }
    }

    func testWorkingEncoderStillOpens() throws {
        var settings = VideoEncoderSettings()
        settings.width = 64; settings.height = 64
        XCTAssertEqual(try Encoder(video: settings, globalHeader: false).name, "libx264")
    }
}
