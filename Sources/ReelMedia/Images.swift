internal import CFFmpeg
import Foundation

/// Pictures as plain bytes, PNG files in and out: what golden tests, previews and hash
/// comparisons need. Conversions go through libswscale with bit-exact flags.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// rgb24, rows packed.
    public var pixels: [UInt8]
    public init(width: Int, height: Int, pixels: [UInt8]) { self.width = width; self.height = height; self.pixels = pixels }
}

extension Frame {
    /// The picture as packed rgb24 (BT.709 limited-range YUV read correctly), optionally scaled.
    public func rgbImage(width: Int? = nil, height: Int? = nil) throws -> RGBImage {
        let w = width ?? self.width, h = height ?? self.height
        let toRGB = FilterChain([.scale(w, h, flags: .exactBicubic, [.init("in_color_matrix", "bt709"), .init("in_range", "tv")]),
                                 .format("rgb24")])
        let graph = try FilterGraph(toRGB, input: self, timeBase: Rational(1, 1))
        let copy = reference()
        copy.pts = 0
        guard let out = try graph.process(copy).first else {
            throw MediaError(.internalFailure, path: "", "conversion to RGB produced nothing")
        }
        let f = out.pointer.pointee
        var bytes = [UInt8](repeating: 0, count: w * h * 3)
        bytes.withUnsafeMutableBufferPointer { dst in
            for row in 0..<h {
                (dst.baseAddress! + row * w * 3).update(from: f.data.0! + row * Int(f.linesize.0), count: w * 3)
            }
        }
        return RGBImage(width: w, height: h, pixels: bytes)
    }

    /// The picture scaled to w x h as premultiplied RGBA (rows packed): for stickers. Frames
    /// without alpha come out opaque; YUV is read with its own tags (untagged: BT.709).
    public func premultipliedRGBA(width w: Int, height h: Int) throws -> [UInt8] {
        let graph = try FilterGraph(FilterChain([.scale(w, h, flags: .exactBicubic), .format("rgba")]), input: self, timeBase: Rational(1, 1))
        let copy = reference()
        copy.pts = 0
        guard let out = try graph.process(copy).first else {
            throw MediaError(.internalFailure, path: "", "conversion to RGBA produced nothing")
        }
        let f = out.pointer.pointee
        var bytes = [UInt8](repeating: 0, count: w * h * 4)
        for row in 0..<h {
            let src = f.data.0! + row * Int(f.linesize.0)
            for i in 0..<w {
                let a = Int(src[i * 4 + 3])
                for c in 0..<3 { bytes[(row * w + i) * 4 + c] = UInt8((Int(src[i * 4 + c]) * a + 127) / 255) }
                bytes[(row * w + i) * 4 + 3] = UInt8(a)
            }
        }
        return bytes
    }

    /// The pixels of an rgb24 frame without conversion (rows packed), or nil for other formats.
    public func rgbPixels() -> RGBImage? {
        let f = pointer.pointee
        guard AVPixelFormat(f.format) == AV_PIX_FMT_RGB24, let data = f.data.0 else { return nil }
        let w = Int(f.width), h = Int(f.height)
        var bytes = [UInt8](repeating: 0, count: w * h * 3)
        bytes.withUnsafeMutableBufferPointer { dst in
            for row in 0..<h { (dst.baseAddress! + row * w * 3).update(from: data + row * Int(f.linesize.0), count: w * 3) }
        }
        return RGBImage(width: w, height: h, pixels: bytes)
    }

    /// A frame holding an RGB picture (for writing it out).
    public convenience init(_ image: RGBImage) throws {
        self.init()
        let f = pointer
        f.pointee.width = Int32(image.width)
        f.pointee.height = Int32(image.height)
        f.pointee.format = AV_PIX_FMT_RGB24.rawValue
        try allocateBuffers("a \(image.width)x\(image.height) RGB picture")
        guard let data = f.pointee.data.0 else { throw MediaError(.internalFailure, path: "", "RGB picture has no plane") }
        image.pixels.withUnsafeBufferPointer { src in
            for row in 0..<image.height {
                (data + row * Int(f.pointee.linesize.0)).update(from: src.baseAddress! + row * image.width * 3, count: image.width * 3)
            }
        }
    }
}

public enum PNGFile {
    /// Writes an RGB image as PNG (libavcodec's PNG encoder).
    public static func write(_ image: RGBImage, to path: String) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG), let ctx = avcodec_alloc_context3(codec) else {
            throw MediaError(.unavailable, path: path, "no PNG encoder in this libavcodec")
        }
        var c: UnsafeMutablePointer<AVCodecContext>? = ctx
        defer { avcodec_free_context(&c) }
        ctx.pointee.width = Int32(image.width)
        ctx.pointee.height = Int32(image.height)
        ctx.pointee.pix_fmt = AV_PIX_FMT_RGB24
        ctx.pointee.time_base = AVRational(num: 1, den: 1)
        try check(avcodec_open2(ctx, codec, nil), path: path, "PNG encoder")
        let frame = try Frame(image)
        frame.pts = 0
        try check(avcodec_send_frame(ctx, frame.pointer), path: path, "PNG encoding")
        try check(avcodec_send_frame(ctx, nil), path: path, "PNG encoding")
        let packet = Packet()
        try check(avcodec_receive_packet(ctx, packet.pointer), path: path, "PNG encoding")
        let data = Data(bytes: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size))
        try FileWriter.write(data, to: path)
    }

    /// Reads the first picture of an image (or video) file as RGB.
    public static func read(_ path: String) throws -> RGBImage {
        let demuxer = try Demuxer(path: path)
        guard let index = demuxer.bestStream(.video) ?? (demuxer.streamCount > 0 ? 0 : nil) else {
            throw MediaError(.invalidInput, path: path, "no picture")
        }
        let decoder = try Decoder(demuxer, stream: index, threads: 1)
        guard let frame = try DecodedFrames(demuxer, decoder: decoder, damaged: .fail).next() else {
            throw MediaError(.invalidInput, path: path, "no picture")
        }
        return try frame.rgbImage()
    }
}

extension RGBImage {
    /// Peak signal-to-noise ratio in dB against another image of the same size (infinity when equal).
    public func psnr(against other: RGBImage) -> Double {
        guard width == other.width, height == other.height, !pixels.isEmpty else { return 0 }
        var sum = 0.0
        for i in 0..<pixels.count {
            let d = Double(Int(pixels[i]) - Int(other.pixels[i]))
            sum += d * d
        }
        let mse = sum / Double(pixels.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// Absolute difference, amplified ×8 so one-level changes are visible.
    public func difference(from other: RGBImage) -> RGBImage {
        var out = [UInt8](repeating: 0, count: pixels.count)
        for i in 0..<min(pixels.count, other.pixels.count) {
            out[i] = UInt8(min(255, abs(Int(pixels[i]) - Int(other.pixels[i])) * 8))
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
