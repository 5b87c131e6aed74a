internal import CFFmpeg
internal import CReelShims
import Foundation

/// The colour facts of a decoded picture that decide how it is converted to BT.709
/// limited-range yuv420p: its pixel format and what its tags say (or nil when untagged).
public struct FrameColor: Sendable, Equatable {
    public var pixelFormat: String
    public var isRGB: Bool
    public var isPalette: Bool
    public var isYUVJ: Bool
    public var bitDepth: Int
    public var hasAlpha: Bool
    /// libav names (e.g. "bt709", "bt470bg", "smpte170m", "bt2020nc"); nil when unspecified.
    public var colorSpace: String?
    public var primaries: String?
    public var transfer: String?
    /// true = full ("pc"), false = limited ("tv"), nil = unspecified.
    public var fullRange: Bool?

    public init(pixelFormat: String, isRGB: Bool, isPalette: Bool, isYUVJ: Bool, bitDepth: Int, hasAlpha: Bool,
                colorSpace: String?, primaries: String?, transfer: String?, fullRange: Bool?) {
        self.pixelFormat = pixelFormat; self.isRGB = isRGB; self.isPalette = isPalette; self.isYUVJ = isYUVJ
        self.bitDepth = bitDepth; self.hasAlpha = hasAlpha; self.colorSpace = colorSpace
        self.primaries = primaries; self.transfer = transfer; self.fullRange = fullRange
    }
}

extension Frame {
    public var color: FrameColor {
        let f = pointer.pointee
        let fmt = AVPixelFormat(f.format)
        let desc = av_pix_fmt_desc_get(fmt)
        let flags = desc?.pointee.flags ?? 0
        let name = av_get_pix_fmt_name(fmt).map { String(cString: $0) } ?? "unknown"
        func tag(_ p: UnsafePointer<CChar>?, unspecified: Bool) -> String? {
            (unspecified || p == nil) ? nil : String(cString: p!)
        }
        return FrameColor(
            pixelFormat: name,
            isRGB: (flags & UInt64(AV_PIX_FMT_FLAG_RGB)) != 0,
            isPalette: (flags & UInt64(AV_PIX_FMT_FLAG_PAL)) != 0,
            isYUVJ: name.hasPrefix("yuvj"),
            bitDepth: Int(desc?.pointee.comp.0.depth ?? 8),
            hasAlpha: (flags & UInt64(AV_PIX_FMT_FLAG_ALPHA)) != 0,
            colorSpace: tag(av_color_space_name(f.colorspace), unspecified: f.colorspace == AVCOL_SPC_UNSPECIFIED || f.colorspace == AVCOL_SPC_RESERVED),
            primaries: tag(av_color_primaries_name(f.color_primaries), unspecified: f.color_primaries == AVCOL_PRI_UNSPECIFIED || f.color_primaries == AVCOL_PRI_RESERVED || f.color_primaries == AVCOL_PRI_RESERVED0),
            transfer: tag(av_color_transfer_name(f.color_trc), unspecified: f.color_trc == AVCOL_TRC_UNSPECIFIED || f.color_trc == AVCOL_TRC_RESERVED || f.color_trc == AVCOL_TRC_RESERVED0),
            fullRange: f.color_range == AVCOL_RANGE_JPEG ? true : (f.color_range == AVCOL_RANGE_MPEG ? false : nil)
        )
    }

    /// Decoded time of the frame in seconds, given the time base of its pts.
    public func seconds(in timeBase: Rational) -> Double? {
        pts.map { Double($0) * timeBase.value }
    }

    /// Duration of the frame in its time base units, when the decoder knows it.
    public var durationUnits: Int64? {
        let d = reel_frame_duration(pointer)
        return d > 0 ? d : nil
    }

    /// A luma-only copy for analysis (e.g. the content detector): rows packed, no padding.
    public func grayPixels() -> [UInt8]? {
        let f = pointer.pointee
        guard AVPixelFormat(f.format) == AV_PIX_FMT_GRAY8, let data = f.data.0 else { return nil }
        var out = [UInt8](repeating: 0, count: Int(f.width) * Int(f.height))
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<Int(f.height) {
                (dst.baseAddress! + row * Int(f.width)).update(from: data + row * Int(f.linesize.0), count: Int(f.width))
            }
        }
        return out
    }
}

extension Frame {
    /// Sample aspect ratio (1/1 when unset).
    public var sampleAspect: Rational {
        let s = pointer.pointee.sample_aspect_ratio
        return s.num > 0 && s.den > 0 ? Rational(Int(s.num), Int(s.den)) : Rational(1, 1)
    }
}
