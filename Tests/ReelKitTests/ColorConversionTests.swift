import XCTest
import ReelMedia
@testable import ReelKit

final class ColorConversionTests: XCTestCase {
    func color(_ fmt: String, space: String? = nil, full: Bool? = nil, rgb: Bool = false) -> FrameColor {
        FrameColor(pixelFormat: fmt, isRGB: rgb, isPalette: fmt == "pal8", isYUVJ: fmt.hasPrefix("yuvj"), bitDepth: 8,
                   hasAlpha: false, colorSpace: space, primaries: nil, transfer: nil, fullRange: full)
    }

    func testHDUntaggedIsBT709Limited() {
        let c = ColorConversion(color("yuv420p"), height: 1080)
        XCTAssertEqual(c.matrixFilter, "")
        XCTAssertTrue(c.scaleOptions.contains("in_range=tv"))
    }

    func testSDUntaggedIsBT601() {
        XCTAssertTrue(ColorConversion(color("yuv420p"), height: 480).matrixFilter.contains("iall=bt601-6-525"))
        XCTAssertTrue(ColorConversion(color("yuv420p"), height: 576).matrixFilter.contains("iall=bt601-6-625"))
    }

    func testFullRangeBT601() {
        let c = ColorConversion(color("yuvj420p", space: "bt470bg"), height: 240)
        XCTAssertTrue(c.scaleOptions.contains("in_range=pc"))
        XCTAssertTrue(c.matrixFilter.contains("colorspace=all=bt709"))
    }

    func testRGBUsesSwscaleMatrix() {
        let c = ColorConversion(color("pal8", rgb: false), height: 120)
        XCTAssertEqual(c.matrixFilter, "")
        XCTAssertTrue(c.scaleOptions.contains("out_color_matrix=bt709"))
    }
}
