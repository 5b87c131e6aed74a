import Foundation
import ReelMedia

/// Decides how a source's pixels become BT.709 limited-range yuv420p. libswscale converts
/// RGB→YUV with any matrix and converts range and bit depth, but it does not change the
/// matrix of YUV→YUV; sources in another YUV space therefore also pass libavfilter's
/// `colorspace` filter. Untagged sources are read the way players read them: HD as BT.709,
/// SD as BT.601, yuvj formats as full range.
struct ColorConversion: Equatable {
    /// Options for every `scale` that reads the source.
    let scaleInputOptions: [Filter.Option]
    /// The filter that changes a YUV source's matrix to BT.709 (after the first scale), if needed.
    let matrixConversion: Filter?

    init(_ c: FrameColor, height: Int) {
        if c.isRGB || c.isPalette || c.pixelFormat.hasPrefix("gray") {
            scaleInputOptions = [.init("out_color_matrix", "bt709"), .init("out_range", "tv")]
            matrixConversion = nil
            return
        }
        let full = c.fullRange ?? c.isYUVJ
        let space = c.colorSpace ?? (height >= 720 ? "bt709" : (height == 576 ? "bt470bg" : "smpte170m"))
        scaleInputOptions = [.init("in_range", full ? "pc" : "tv"), .init("out_range", "tv")]
        let preset: String?
        switch space {
        case "bt709": preset = nil
        case "bt470bg": preset = "bt601-6-625"
        case "smpte170m", "fcc", "unknown": preset = "bt601-6-525"
        case "smpte240m": preset = "smpte240m"
        case "bt2020nc", "bt2020c": preset = "bt2020"
        default: preset = "bt601-6-525"
        }
        matrixConversion = preset.map {
            Filter("colorspace", ["all": "bt709", "iall": $0, "range": "tv", "irange": "tv", "format": "yuv420p"])
        }
    }
}

extension ColorConversion {
    /// `scale` options that read a source's YUV correctly when converting it to RGB
    /// (pictures for people: contact sheets), with the same untagged-source rules as above.
    static func rgbInputOptions(_ c: FrameColor, height: Int) -> [Filter.Option] {
        if c.isRGB || c.isPalette || c.pixelFormat.hasPrefix("gray") { return [] }
        let full = c.fullRange ?? c.isYUVJ
        let matrix: String
        switch c.colorSpace ?? (height >= 720 ? "bt709" : "smpte170m") {
        case "bt709": matrix = "bt709"
        case "smpte240m": matrix = "smpte240m"
        case "fcc": matrix = "fcc"
        case "bt2020nc", "bt2020c": matrix = "bt2020"
        default: matrix = "bt601"
        }
        return [Filter.Option("in_color_matrix", matrix), Filter.Option("in_range", full ? "pc" : "tv")]
    }
}
