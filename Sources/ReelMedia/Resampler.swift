internal import CFFmpeg
internal import CReelShims
import Foundation

/// Converts decoded audio of any rate, layout and sample format to the output's
/// 48 kHz stereo float planar, as a continuous stream of samples (libswresample).
/// Mono is spread to both channels; surround is downmixed with libswresample's matrix.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Resampler: @unchecked Sendable {
    private var context: OpaquePointer?
    private var inputSignature: (rate: Int32, format: Int32, layout: String)?
    public let outputRate: Int

    public init(outputRate: Int = 48000) {
        self.outputRate = outputRate
    }

    deinit { swr_free(&context) }

    /// Converts a decoded frame; returns interleaved-free planar float samples [left, right].
    public func convert(_ frame: Frame) throws -> [[Float]] {
        let f = frame.pointer
        try configureIfNeeded(for: f)
        let inCount = Int32(f.pointee.nb_samples)
        let capacity = Int(swr_get_out_samples(context, inCount)) + 32
        return try pull(input: f, inCount: inCount, capacity: capacity)
    }

    /// Samples still buffered inside the resampler (its filter delay), at end of stream.
    public func flush() throws -> [[Float]] {
        guard context != nil else { return [[], []] }
        let capacity = Int(swr_get_out_samples(context, 0)) + 32
        return try pull(input: nil, inCount: 0, capacity: capacity)
    }

    private func pull(input: UnsafeMutablePointer<AVFrame>?, inCount: Int32, capacity: Int) throws -> [[Float]] {
        var left = [Float](repeating: 0, count: capacity)
        var right = [Float](repeating: 0, count: capacity)
        let produced: Int32 = left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                var outPlanes: [UnsafeMutablePointer<UInt8>?] = [
                    UnsafeMutableRawPointer(l.baseAddress!).assumingMemoryBound(to: UInt8.self),
                    UnsafeMutableRawPointer(r.baseAddress!).assumingMemoryBound(to: UInt8.self),
                ]
                return outPlanes.withUnsafeMutableBufferPointer { out in
                    if let input {
                        let planes = UnsafeMutableRawPointer(input.pointee.extended_data!)
                            .assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
                        return swr_convert(context, out.baseAddress, Int32(capacity), planes, inCount)
                    }
                    return swr_convert(context, out.baseAddress, Int32(capacity), nil, 0)
                }
            }
        }
        try check(produced, path: "", "audio resampling")
        left.removeSubrange(Int(produced)...)
        right.removeSubrange(Int(produced)...)
        return [left, right]
    }

    private func configureIfNeeded(for f: UnsafeMutablePointer<AVFrame>) throws {
        var layout = f.pointee.ch_layout
        if layout.order == AV_CHANNEL_ORDER_UNSPEC || layout.nb_channels == 0 {
            av_channel_layout_default(&layout, max(layout.nb_channels, 1))
        }
        var buf = [CChar](repeating: 0, count: 64)
        av_channel_layout_describe(&layout, &buf, buf.count)
        let signature = (f.pointee.sample_rate, f.pointee.format, String(cBuffer: buf))
        if let s = inputSignature, s.rate == signature.0, s.format == signature.1, s.layout == signature.2 { return }
        swr_free(&context)
        var stereo = AVChannelLayout()
        reel_channel_layout_stereo(&stereo)
        inputSignature = nil
        // Owned by `context` from allocation on, so a failing swr_set_matrix/swr_init does not
        // leak it: deinit (or the next configuration) frees it.
        try check(swr_alloc_set_opts2(&context, &stereo, AV_SAMPLE_FMT_FLTP, Int32(outputRate),
                                      &layout, AVSampleFormat(f.pointee.format), f.pointee.sample_rate, 0, nil),
                  path: "", "audio resampler options")
        let ctx = context
        if layout.nb_channels == 1 {
            // Mono goes to both speakers at full level (dual mono), not at the -3 dB centre
            // pan law libswresample uses by default: a mono voice must not come out quieter.
            var dualMono: [Double] = [1.0, 1.0]   // out × in = 2 × 1
            try check(swr_set_matrix(ctx, &dualMono, 1), path: "", "audio resampler matrix")
        }
        try check(swr_init(ctx), path: "", "audio resampler")
        inputSignature = signature
    }
}
