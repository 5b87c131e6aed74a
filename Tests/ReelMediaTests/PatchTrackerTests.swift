import XCTest
@testable import ReelMedia

/// Finding a patch again in a moved picture: how a tracked sticker follows a swaying head.
final class PatchTrackerTests: XCTestCase {
    /// A 240x180 cut-out: a textured 70x50 blob at (x, y) on a transparent background.
    private func picture(blobAt x: Int, _ y: Int, flat: Bool = false) throws -> Frame {
        let w = 240, h = 180
        var luma = [UInt8](repeating: 16, count: w * h), alpha = [UInt8](repeating: 0, count: w * h)
        for row in 0..<50 {
            for col in 0..<70 {
                let i = (y + row) * w + x + col
                // Seams and stripes, like a cap's panels: contrast in both directions.
                let v = flat ? 150 : 60 + ((col / 9 + row / 7) % 3) * 60 + (col * 7 + row * 3) % 17
                luma[i] = UInt8(v)
                alpha[i] = 255
            }
        }
        return try Frame(yuvaLuma: luma, alpha: alpha, width: w, height: h)
    }

    func testFindsTheShiftNearAndFar() throws {
        let reference = try XCTUnwrap(try picture(blobAt: 80, 60).lumaPatch(x: 70, y: 50, width: 90, height: 70))
        XCTAssertTrue(reference.usable)
        let moved = try picture(blobAt: 87, 55)
        // Far from the guess: the wide search finds it.
        let far = moved.locate(reference, near: (0, 0), radius: 16)
        XCTAssertTrue(far == (7, -5), "\(far)")
        // Near the guess (the previous frame's shift): the small window finds it.
        let near = moved.locate(reference, near: (6, -4), radius: 16)
        XCTAssertTrue(near == (7, -5), "\(near)")
        // Unmoved stays put.
        let still = try picture(blobAt: 80, 60).locate(reference, near: (0, 0), radius: 16)
        XCTAssertTrue(still == (0, 0), "\(still)")
    }

    func testFlatOrEmptyPatchesAreNotTracked() throws {
        let flat = try XCTUnwrap(try picture(blobAt: 80, 60, flat: true).lumaPatch(x: 70, y: 50, width: 90, height: 70))
        XCTAssertFalse(flat.usable, "no contrast: nothing to lock on to")
        XCTAssertTrue(try picture(blobAt: 90, 60, flat: true).locate(flat, near: (0, 0), radius: 16) == (0, 0))
        let empty = try XCTUnwrap(try picture(blobAt: 0, 0).lumaPatch(x: 150, y: 100, width: 60, height: 60))
        XCTAssertFalse(empty.usable, "all transparent")
        XCTAssertNil(try picture(blobAt: 0, 0).lumaPatch(x: 400, y: 400, width: 20, height: 20), "outside the picture")
    }
}
