internal import CFFmpeg
internal import CReelShims
import Foundation

/// One decoded or composed picture or block of audio samples. Owns its AVFrame; freed in deinit.
/// `@unchecked Sendable`: frames are handed from stage to stage through queues, one owner at a
/// time; pixels are written only by the owner, after `makeWritable` gave it buffers of its
/// own (a frame shared by reference with another stage is copied first, never changed in place).
public final class Frame: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    /// Presentation time in the time base of whoever produced the frame.
    public var pts: Int64? {
        get { pointer.pointee.pts == NOPTS ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? NOPTS }
    }
    /// Number of audio samples per channel (0 for video).
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }

    /// Allocates the buffers for the size, format (and samples) already set. libav can fail
    /// here (out of memory, a format without a size): the planes would be nil, so throw
    /// instead of letting a caller unwrap them.
    func allocateBuffers(_ what: @autoclosure () -> String) throws {
        try check(av_frame_get_buffer(pointer, 0), path: "", "cannot allocate \(what())")
    }

    /// Makes the buffers this frame's own before writing into them (a reused canvas or a
    /// decoder's reference must not change under other frames); throws when libav cannot.
    func makeWritable(_ what: @autoclosure () -> String) throws {
        try check(av_frame_make_writable(pointer), path: "", "cannot write into \(what())")
    }

    /// What filters attached to the frame (`lavfi.r128.I` from ebur128, …); tests read it.
    var metadata: [String: String] { Frame.metadata(pointer) }

    static func metadata(_ f: UnsafeMutablePointer<AVFrame>) -> [String: String] {
        var metadata: [String: String] = [:]
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let e = av_dict_get(f.pointee.metadata, "", entry, AV_DICT_IGNORE_SUFFIX) {
            metadata[String(cString: e.pointee.key)] = String(cString: e.pointee.value)
            entry = e
        }
        return metadata
    }

    /// A new reference to the same buffers (cheap; no pixel copy).
    public func reference() -> Frame {
        let copy = Frame()
        av_frame_ref(copy.pointer, pointer)
        return copy
    }

    /// True when both frames reference the very same picture buffers.
    public func sharesPixels(with other: Frame) -> Bool {
        pointer.pointee.data.0 != nil && pointer.pointee.data.0 == other.pointer.pointee.data.0
    }

    /// Inverts the top-left luma sample. Only for proving that regression tests notice a
    /// one-pixel change; never used in a real render.
    public func perturbOnePixel() {
        guard av_frame_make_writable(pointer) >= 0, let y = pointer.pointee.data.0 else { return }
        y.pointee = 255 &- y.pointee
    }

    /// Plane `index`'s first row and its stride (bytes from one row to the next), for
    /// kernels that walk rows. The plane must exist (a video frame with buffers).
    func plane(_ index: Int) -> (data: UnsafeMutablePointer<UInt8>, linesize: Int) {
        let f = pointer.pointee
        let data = withUnsafeBytes(of: f.data) { $0.load(fromByteOffset: index * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride,
                                                         as: UnsafeMutablePointer<UInt8>?.self) }
        let linesize = withUnsafeBytes(of: f.linesize) { $0.load(fromByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self) }
        return (data!, Int(linesize))
    }

    /// True when both frames are video of the same format and size with identical pixels.
    /// Used to skip composing a frame that did not change (static screens, duplicated frames).
    public func hasSamePixels(as other: Frame) -> Bool {
        let a = pointer.pointee, b = other.pointer.pointee
        guard a.width == b.width, a.height == b.height, a.format == b.format, a.width > 0,
              let desc = av_pix_fmt_desc_get(AVPixelFormat(a.format)) else { return false }
        let planes = Int(av_pix_fmt_count_planes(AVPixelFormat(a.format)))
        return withUnsafeBytes(of: a.data) { da in
            withUnsafeBytes(of: b.data) { db in
                withUnsafeBytes(of: a.linesize) { la in
                    withUnsafeBytes(of: b.linesize) { lb in
                        let pa = da.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)
                        let pb = db.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)
                        let sa = la.bindMemory(to: Int32.self), sb = lb.bindMemory(to: Int32.self)
                        for plane in 0..<planes {
                            let isChroma = plane == 1 || plane == 2
                            let rows = isChroma ? (Int(a.height) + (1 << desc.pointee.log2_chroma_h) - 1) >> desc.pointee.log2_chroma_h : Int(a.height)
                            let bytes = Int(av_image_get_linesize(AVPixelFormat(a.format), a.width, Int32(plane)))
                            guard let rowA = pa[plane], let rowB = pb[plane], bytes > 0 else { return false }
                            for row in 0..<rows {
                                if memcmp(rowA + row * Int(sa[plane]), rowB + row * Int(sb[plane]), bytes) != 0 { return false }
                            }
                        }
                        return true
                    }
                }
            }
        }
    }
}

/// One compressed packet. Owns its AVPacket.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Packet: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    public var streamIndex: Int { Int(pointer.pointee.stream_index) }
    /// Presentation time in stream time-base units, if known.
    public var pts: Int64? { pointer.pointee.pts == reel_nopts_value() ? nil : pointer.pointee.pts }
    /// Coded size in bytes.
    public var size: Int { Int(pointer.pointee.size) }
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
}
