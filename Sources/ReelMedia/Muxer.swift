internal import CFFmpeg
internal import CReelShims
import Foundation

/// Writes encoded packets into an MP4 with the moov box before mdat (fast start) and no
/// edit list, so every player and the platform's ingest start both streams at zero.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Muxer: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVFormatContext>
    public let path: String
    private var encoders: [Encoder] = []
    private var headerWritten = false
    private var ioOpen = false

    public init(path: String) throws {
        var ctx: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&ctx, nil, "mp4", path), .cannotWrite, path: path, "cannot create MP4 output")
        context = ctx!
        self.path = path
        reel_install_interrupt(ctx!)
    }

    deinit {
        if ioOpen { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    /// MP4 needs codec headers out of band (extradata), so encoders must set global headers.
    public var needsGlobalHeader: Bool { (context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 }

    /// Adds a stream for an opened encoder; returns its index.
    @discardableResult
    public func addStream(for encoder: Encoder) throws -> Int {
        guard let stream = avformat_new_stream(context, nil) else { fatalError("avformat_new_stream: out of memory") }
        try check(avcodec_parameters_from_context(stream.pointee.codecpar, encoder.context), path: path, "stream parameters")
        stream.pointee.time_base = encoder.context.pointee.time_base
        if encoder.context.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
            stream.pointee.avg_frame_rate = encoder.context.pointee.framerate
            stream.pointee.r_frame_rate = encoder.context.pointee.framerate
        }
        encoders.append(encoder)
        return Int(stream.pointee.index)
    }

    /// Opens the file and writes the header. `deterministic` drops the creation time and
    /// encoder version strings so identical inputs give identical bytes.
    public func start(deterministic: Bool) throws {
        try check(avio_open2(&context.pointee.pb, path, AVIO_FLAG_WRITE, &context.pointee.interrupt_callback, nil), .cannotWrite, path: path, "cannot write")
        ioOpen = true
        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        av_dict_set(&options, "movflags", "+faststart+negative_cts_offsets", 0)
        // Without an edit list the first frames' composition offset is kept as a shift of
        // the timeline, which players handle identically; edit lists are poorly supported by ingest.
        av_dict_set(&options, "use_editlist", "0", 0)
        if deterministic {
            context.pointee.flags |= AVFMT_FLAG_BITEXACT
        }
        try check(avformat_write_header(context, &options), .cannotWrite, path: path, "cannot write MP4 header")
        headerWritten = true
    }

    /// Writes a packet produced by the encoder of stream `index` (interleaved by libavformat).
    public func write(_ packet: Packet, stream index: Int) throws {
        let encoder = encoders[index]
        packet.pointer.pointee.stream_index = Int32(index)
        av_packet_rescale_ts(packet.pointer, encoder.context.pointee.time_base, context.pointee.streams[index]!.pointee.time_base)
        try check(av_interleaved_write_frame(context, packet.pointer), .cannotWrite, path: path, "cannot write")
    }

    /// Flushes interleaving queues, writes the trailer (and moves moov to the front), closes.
    public func finish() throws {
        guard headerWritten else { return }
        try check(av_write_trailer(context), .cannotWrite, path: path, "cannot finish MP4")
        avio_closep(&context.pointee.pb)
        ioOpen = false
    }
}
