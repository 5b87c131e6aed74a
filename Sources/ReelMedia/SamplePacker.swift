internal import CFFmpeg
import Foundation

/// Converts decoded audio to packed signed 16-bit at its own rate and layout, the bytes
/// framemd5 hashes for audio.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class SamplePacker: @unchecked Sendable {
    private var context: OpaquePointer?
    private var signature: (Int32, Int32, Int32)?

    public init() {}
    deinit { swr_free(&context) }

    public func s16(_ frame: Frame) throws -> (bytes: [UInt8], sampleRate: Int, layout: String) {
        let f = frame.pointer
        var layout = f.pointee.ch_layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC { av_channel_layout_default(&layout, max(layout.nb_channels, 1)) }
        var name = [CChar](repeating: 0, count: 64)
        av_channel_layout_describe(&layout, &name, name.count)
        let sig = (f.pointee.sample_rate, f.pointee.format, layout.nb_channels)
        if signature == nil || signature! != sig {
            swr_free(&context)
            signature = nil
            var outLayout = layout
            // Allocated straight into `context`, so a failing swr_init leaks nothing (deinit frees it).
            try check(swr_alloc_set_opts2(&context, &outLayout, AV_SAMPLE_FMT_S16, f.pointee.sample_rate,
                                          &layout, AVSampleFormat(f.pointee.format), f.pointee.sample_rate, 0, nil),
                      path: "", "sample conversion")
            try check(swr_init(context), path: "", "sample conversion")
            signature = sig
        }
        let channels = Int(layout.nb_channels)
        let count = Int(f.pointee.nb_samples)
        var bytes = [UInt8](repeating: 0, count: count * channels * 2)
        let produced: Int32 = bytes.withUnsafeMutableBufferPointer { out in
            var planes: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress]
            let input = UnsafeMutableRawPointer(f.pointee.extended_data!).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
            return planes.withUnsafeMutableBufferPointer { swr_convert(context, $0.baseAddress, Int32(count), input, Int32(count)) }
        }
        try check(produced, path: "", "sample conversion")
        bytes.removeSubrange((Int(produced) * channels * 2)...)
        return (bytes, Int(f.pointee.sample_rate), String(cBuffer: name))
    }
}
