internal import CFFmpeg
import Foundation

/// MD5 of frames the way FFmpeg's framemd5 muxer computes them: the picture's planes packed
/// without padding (av_image_copy_to_buffer, align 1, palette included for pal8), or audio
/// samples as packed bytes. Uses libavutil's hash API.
public enum FrameHasher {
    /// The MD5 (lowercase hex) and byte size of a video frame in its own pixel format.
    public static func md5(video frame: Frame) -> (hash: String, size: Int) {
        let f = frame.pointer
        let fmt = AVPixelFormat(f.pointee.format)
        let size = Int(av_image_get_buffer_size(fmt, f.pointee.width, f.pointee.height, 1))
        guard size > 0 else { return ("", 0) }
        var buffer = [UInt8](repeating: 0, count: size)
        buffer.withUnsafeMutableBufferPointer { dst in
            withUnsafePointer(to: f.pointee.data) { dataTuple in
                withUnsafePointer(to: f.pointee.linesize) { linesTuple in
                    dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { data in
                        linesTuple.withMemoryRebound(to: Int32.self, capacity: 8) { lines in
                            _ = av_image_copy_to_buffer(dst.baseAddress, Int32(size), data, lines, fmt,
                                                        f.pointee.width, f.pointee.height, 1)
                        }
                    }
                }
            }
        }
        return (md5(buffer), size)
    }

    /// MD5 (lowercase hex) of bytes through libavutil's hash API.
    public static func md5(_ bytes: [UInt8]) -> String {
        var ctx: OpaquePointer? = nil
        guard av_hash_alloc(&ctx, "md5") >= 0, let ctx else { fatalError("av_hash_alloc(md5) failed") }
        defer { var c: OpaquePointer? = ctx; av_hash_freep(&c) }
        av_hash_init(ctx)
        bytes.withUnsafeBufferPointer { av_hash_update(ctx, $0.baseAddress, $0.count) }
        var hex = [UInt8](repeating: 0, count: 2 * 16 + 1)
        av_hash_final_hex(ctx, &hex, Int32(hex.count))
        return String(decoding: hex.prefix { $0 != 0 }, as: UTF8.self).lowercased()
    }
}

/// Version strings of the libraries whose output decides composed pixels; golden hash
/// files name them so a mismatch can be traced to a library update.
public enum LibraryVersions {
    public static var avcodec: String { versionString(avcodec_version()) }
    public static var swscale: String { versionString(swscale_version()) }
    public static var avfilter: String { versionString(avfilter_version()) }
    public static var avformat: String { versionString(avformat_version()) }
    static func versionString(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xFF).\(v & 0xFF)" }
}
