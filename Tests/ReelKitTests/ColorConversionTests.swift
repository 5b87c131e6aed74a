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
        XCTAssertNil(c.matrixConversion)
        XCTAssertTrue(c.scaleInputOptions.contains(.init("in_range", "tv")))
    }

    func testSDUntaggedIsBT601() {
        XCTAssertTrue(ColorConversion(color("yuv420p"), height: 480).matrixConversion?.options.contains(.init("iall", "bt601-6-525")) == true)
        XCTAssertTrue(ColorConversion(color("yuv420p"), height: 576).matrixConversion?.options.contains(.init("iall", "bt601-6-625")) == true)
    }

    func testFullRangeBT601() {
        let c = ColorConversion(color("yuvj420p", space: "bt470bg"), height: 240)
        XCTAssertTrue(c.scaleInputOptions.contains(.init("in_range", "pc")))
        XCTAssertEqual(c.matrixConversion?.name, "colorspace")
        XCTAssertTrue(c.matrixConversion?.options.contains(.init("all", "bt709")) == true)
    }

    func testRGBUsesSwscaleMatrix() {
        let c = ColorConversion(color("pal8", rgb: false), height: 120)
        XCTAssertNil(c.matrixConversion)
        XCTAssertTrue(c.scaleInputOptions.contains(.init("out_color_matrix", "bt709")))
    }
}
