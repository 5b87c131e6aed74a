import XCTest
import ReelMedia
@testable import ReelKit

/// The typed canvas, hook-zoom and upright graphs must give libavfilter the same text the
/// hand-written strings did (the golden hashes depend on it); the expected strings here are
/// those strings, written out for a few layouts.
final class FilterTextTests: XCTestCase {
    func color(_ fmt: String, space: String? = nil, full: Bool? = nil) -> FrameColor {
        FrameColor(pixelFormat: fmt, isRGB: fmt.hasPrefix("rgb") || fmt.hasPrefix("bgr"), isPalette: fmt == "pal8",
                   isYUVJ: fmt.hasPrefix("yuvj"), bitDepth: 8, hasAlpha: false, colorSpace: space, primaries: nil,
                   transfer: nil, fullRange: full)
    }

    func source(_ w: Int, _ h: Int, rotation: Int = 0, mirrored: Bool = false, sar: (Int, Int) = (1, 1)) throws -> SourcePicture {
        let json = #"{"rotation":\#(rotation),"mirrored":\#(mirrored),"storedWidth":\#(w),"storedHeight":\#(h),"sampleAspect":{"num":\#(sar.0),"den":\#(sar.1)}}"#
        return try JSONDecoder().decode(SourcePicture.self, from: Data(json.utf8))
    }

    func testColorBackgroundHD() throws {
        let composer = CanvasComposer(canvasWidth: 1080, canvasHeight: 1920, crop: PixelRect(x: 240, y: 0, width: 1440, height: 1080),
                                      panel: PixelRect(x: 0, y: 420, width: 1080, height: 810),
                                      background: .color(red: 0x1E, green: 0x1E, blue: 0x1E), source: try source(1920, 1080), bitexact: true)
        XCTAssertEqual(composer.graph(for: color("yuv420p"), width: 1920, height: 1080).description,
                       "[in]crop=1440:1080:240:0:exact=1,scale=1080:810:flags=bicubic+accurate_rnd+bitexact:in_range=tv:out_range=tv,"
                       + "format=yuv420p,pad=1080:1920:0:420:color=0x1E1E1E,setsar=1[out]")
    }

    func testBlurredFillSDRotated() throws {
        let composer = CanvasComposer(canvasWidth: 720, canvasHeight: 1280, crop: PixelRect(x: 0, y: 41, width: 480, height: 640),
                                      panel: PixelRect(x: 0, y: 160, width: 720, height: 960),
                                      background: .blur, source: try source(640, 480, rotation: 90), bitexact: false)
        XCTAssertEqual(composer.graph(for: color("yuvj420p", space: "bt470bg"), width: 640, height: 480).description,
                       "[in]transpose=clock,crop=480:640:0:41:exact=1,scale=720:960:flags=bicubic:in_range=pc:out_range=tv,format=yuv420p,"
                       + "colorspace=all=bt709:iall=bt601-6-625:range=tv:irange=tv:format=yuv420p,split=2[fg][fgcopy];"
                       + "[fgcopy]scale=90:160:force_original_aspect_ratio=increase:flags=bilinear,crop=90:160,"
                       + "boxblur=luma_radius=5:luma_power=3:chroma_radius=2:chroma_power=3,"
                       + "lutyuv=y=16+(val-16)*0.45:u=128+(val-128)*0.7:v=128+(val-128)*0.7,scale=720:1280:flags=bilinear[bg];"
                       + "[bg][fg]overlay=0:160:format=yuv420:eof_action=pass,setsar=1[out]")
    }

    func testBlurredFillAnamorphicRGBBitexact() throws {
        let composer = CanvasComposer(canvasWidth: 1080, canvasHeight: 1920, crop: PixelRect(x: 0, y: 0, width: 960, height: 576),
                                      panel: PixelRect(x: 0, y: 636, width: 1080, height: 648),
                                      background: .blur, source: try source(720, 576, mirrored: true, sar: (4, 3)), bitexact: true)
        XCTAssertEqual(composer.graph(for: color("rgb24"), width: 720, height: 576).description,
                       "[in]scale=960:576:flags=bicubic,setsar=1,hflip,crop=960:576:0:0:exact=1,"
                       + "scale=1080:648:flags=bicubic+accurate_rnd+bitexact:out_color_matrix=bt709:out_range=tv,format=yuv420p,"
                       + "split=2[fg][fgcopy];[fgcopy]scale=134:240:force_original_aspect_ratio=increase:flags=bilinear+accurate_rnd+bitexact,"
                       + "crop=134:240,boxblur=luma_radius=8:luma_power=3:chroma_radius=4:chroma_power=3,"
                       + "lutyuv=y=16+(val-16)*0.45:u=128+(val-128)*0.7:v=128+(val-128)*0.7,"
                       + "scale=1080:1920:flags=bilinear+accurate_rnd+bitexact[bg];"
                       + "[bg][fg]overlay=0:636:format=yuv420:eof_action=pass,setsar=1[out]")
    }

    func testColorConversionOptions() {
        let sd = ColorConversion(color("yuv420p"), height: 480)
        XCTAssertEqual(sd.scaleInputOptions, [.init("in_range", "tv"), .init("out_range", "tv")])
        XCTAssertEqual(sd.matrixConversion.map { FilterChain([$0], inputs: [], outputs: []).description },
                       "colorspace=all=bt709:iall=bt601-6-525:range=tv:irange=tv:format=yuv420p")
        XCTAssertNil(ColorConversion(color("yuv420p"), height: 1080).matrixConversion)
        // A rotated anamorphic source is made square, then turned.
        XCTAssertEqual(FilterChain(try source(720, 576, rotation: 270, sar: (16, 15)).uprightChain, inputs: [], outputs: []).description,
                       "scale=768:576:flags=bicubic,setsar=1,transpose=cclock")
        XCTAssertTrue(try source(1920, 1080).uprightChain.isEmpty)
    }
}
