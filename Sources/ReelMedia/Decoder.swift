internal import CFFmpeg
internal import CReelShims
import Foundation

/// Decodes one stream of a Demuxer (send packets, receive frames).
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Decoder: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVCodecContext>
    public let streamIndex: Int
    public let path: String
    /// Time base of the frames' pts (the stream's).
    public let timeBase: Rational
    private var flushed = false
    /// Raw elementary streams (Annex-B H.264, …) carry no timestamps: their frames are
    /// placed one after another (as ffmpeg's tools do), by duration or the nominal rate.
    /// A frame without one after timed frames (the last picture of an MPEG-PS, flushed from
    /// the decoder with no packet time) goes right after the frame before it, as fftools
    /// predicts it, instead of being lost. nil: unknown (after a seek, until a timed frame).
    private var sawTimestamp = false
    private var untimedNext: Int64? = 0
    private let nominalDuration: Int64

    /// - Parameter threads: 0 lets libav choose; decoding is bit-exact for any count.
    public init(_ demuxer: Demuxer, stream index: Int, threads: Int = 0, preferredDecoder: String? = nil, bitexact: Bool = false) throws {
        let stream = demuxer.stream(index)
        let par = stream.pointee.codecpar!
        var codec: UnsafePointer<AVCodec>? = nil
        if let name = preferredDecoder { codec = avcodec_find_decoder_by_name(name) }
        if codec == nil { codec = avcodec_find_decoder(par.pointee.codec_id) }
        guard let codec else {
            throw MediaError(.invalidInput, path: demuxer.path,
                             "no decoder for \(codecName(par)) in this libavcodec")
        }
        guard let ctx = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        context = ctx
        streamIndex = index
        path = demuxer.path
        let tb = stream.pointee.time_base
        timeBase = Rational(Int(tb.num), Int(tb.den))
        let rate = stream.pointee.avg_frame_rate.num > 0 ? stream.pointee.avg_frame_rate : stream.pointee.r_frame_rate
        nominalDuration = rate.num > 0 && rate.den > 0 && tb.num > 0
            ? max(1, av_rescale_q(1, AVRational(num: rate.den, den: rate.num), tb)) : 1
        try check(avcodec_parameters_to_context(ctx, par), path: path, "decoder parameters")
        ctx.pointee.pkt_timebase = tb
        ctx.pointee.thread_count = Int32(threads)
        if bitexact { ctx.pointee.flags |= AV_CODEC_FLAG_BITEXACT }
        try check(avcodec_open2(ctx, codec, nil), .invalidInput, path: path,
                  "cannot open the \(String(cString: codec.pointee.name)) decoder")
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// Feeds a packet (nil = end of stream) and returns every frame that became ready.
    /// Corrupt data inside an otherwise readable file throws with the file named.
    public func decode(_ packet: Packet?) throws -> [Frame] {
        if packet == nil {
            if flushed { return [] }
            flushed = true
        }
        var frames: [Frame] = []
        var code = avcodec_send_packet(context, packet?.pointer)
        if code == AVERROR_EAGAIN_CODE {
            frames = try drain()
            code = avcodec_send_packet(context, packet?.pointer)
        }
        if code < 0, code != AVERROR_EOF_CODE {
            throw MediaError(.invalidInput, path: path, "cannot decode: \(averrorText(code))")
        }
        frames += try drain()
        return frames
    }

    /// Skip decoding frames no other frame refers to (most B-frames): they are never output.
    /// Worth it while decoding forward to a later picture after a seek; can change per packet.
    public var skipsNonReferenceFrames: Bool {
        get { context.pointee.skip_frame == AVDISCARD_NONREF }
        set { context.pointee.skip_frame = newValue ? AVDISCARD_NONREF : AVDISCARD_DEFAULT }
    }

    /// Drops buffered state after a seek (or the end) so decoding starts fresh.
    public func reset() {
        avcodec_flush_buffers(context)
        flushed = false
        // An untimed stream can only go back to its start (Demuxer.seek); a timed one waits
        // for its next timed frame.
        untimedNext = sawTimestamp ? nil : 0
    }

    private func drain() throws -> [Frame] {
        var frames: [Frame] = []
        while true {
            let frame = Frame()
            let code = avcodec_receive_frame(context, frame.pointer)
            if code == AVERROR_EAGAIN_CODE || code == AVERROR_EOF_CODE { return frames }
            if code < 0 { throw MediaError(.invalidInput, path: path, "cannot decode: \(averrorText(code))") }
            // Timestamps as ffmpeg's own tools use them: the decoder's best guess when pts is missing.
            let f = frame.pointer
            f.pointee.pts = f.pointee.best_effort_timestamp
            let duration = reel_frame_duration(f)
            if f.pointee.pts != NOPTS {
                sawTimestamp = true
            } else if let next = untimedNext {
                f.pointee.pts = next
            }
            untimedNext = f.pointee.pts == NOPTS ? nil : f.pointee.pts + (duration > 0 ? duration : nominalDuration)
            frames.append(frame)
        }
    }
}
