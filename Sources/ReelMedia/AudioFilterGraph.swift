internal import CFFmpeg
internal import CReelShims
import Foundation

/// A block of planar float samples out of an AudioFilterGraph, with the metadata libavfilter
/// attached to its frame (e.g. ebur128's `lavfi.r128.I`).
public struct AudioChunk: Sendable {
    /// One array per channel, all the same length.
    public var channels: [[Float]]
    public var metadata: [String: String]
    public var sampleCount: Int { channels.first?.count ?? 0 }
}

/// A libavfilter audio graph `abuffer → chain → abuffersink` fed with 48 kHz stereo planar
/// float chunks. Output is always planar float (an `aformat` is appended to the chain); its
/// rate is whatever the chain makes (e.g. 192 kHz after `aresample=192000`).
/// The chain is built from typed filters (`FilterChain` renders and escapes the text).
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class AudioFilterGraph: @unchecked Sendable {
    private let graph: UnsafeMutablePointer<AVFilterGraph>
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>
    /// The chain as libavfilter text (for error messages).
    public let chain: String
    public let sampleRate: Int
    public static let channelCount = 2
    /// Samples pushed so far: the pts (in 1/sampleRate) of the next chunk.
    private var nextPTS: Int64 = 0
    private var finished = false

    /// - Parameter filters: the filters between the source and the sink, e.g. ebur128.
    public init(_ filters: [Filter], sampleRate: Int = 48000) throws {
        guard let g = avfilter_graph_alloc() else { fatalError("avfilter_graph_alloc: out of memory") }
        graph = g
        let planarStereo = Filter("aformat", ["sample_fmts": "fltp", "channel_layouts": "stereo"])
        chain = FilterChain(filters, inputs: [], outputs: []).description
        self.sampleRate = sampleRate
        g.pointee.nb_threads = 1
        let args = "sample_rate=\(sampleRate):sample_fmt=fltp:channel_layout=stereo:time_base=1/\(sampleRate)"
        let description = FilterChain(filters + [planarStereo], inputs: [], outputs: []).description
        var src: UnsafeMutablePointer<AVFilterContext>? = nil
        var dst: UnsafeMutablePointer<AVFilterContext>? = nil
        do {
            try check(avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args, nil, g),
                      path: "", "audio filter source (\(args))")
            try check(avfilter_graph_create_filter(&dst, avfilter_get_by_name("abuffersink"), "out", nil, nil, g),
                      path: "", "audio filter sink")
            var outputs = avfilter_inout_alloc(), inputs = avfilter_inout_alloc()
            defer { avfilter_inout_free(&outputs); avfilter_inout_free(&inputs) }
            outputs!.pointee.name = av_strdup("in"); outputs!.pointee.filter_ctx = src; outputs!.pointee.pad_idx = 0; outputs!.pointee.next = nil
            inputs!.pointee.name = av_strdup("out"); inputs!.pointee.filter_ctx = dst; inputs!.pointee.pad_idx = 0; inputs!.pointee.next = nil
            try check(avfilter_graph_parse_ptr(g, description, &inputs, &outputs, nil), path: "", "audio filter graph \"\(description)\"")
            try check(avfilter_graph_config(g, nil), path: "", "audio filter graph \"\(description)\"")
        } catch {
            var gp: UnsafeMutablePointer<AVFilterGraph>? = g
            avfilter_graph_free(&gp)
            throw error
        }
        source = src!
        sink = dst!
    }

    deinit {
        var g: UnsafeMutablePointer<AVFilterGraph>? = graph
        avfilter_graph_free(&g)
    }

    /// Pushes one chunk (two channels of equal length) and returns every chunk the graph produced.
    public func process(_ channels: [[Float]]) throws -> [AudioChunk] {
        precondition(!finished, "AudioFilterGraph.process after finish")
        let count = try Self.validate(channels)
        guard count > 0 else { return [] }
        let frame = Frame()
        let f = frame.pointer
        f.pointee.nb_samples = Int32(count)
        f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointee.sample_rate = Int32(sampleRate)
        reel_channel_layout_stereo(&f.pointee.ch_layout)
        try check(av_frame_get_buffer(f, 0), path: "", "audio frame buffer")
        for (c, samples) in channels.enumerated() {
            let plane = UnsafeMutableRawPointer(f.pointee.extended_data[c]!).assumingMemoryBound(to: Float.self)
            samples.withUnsafeBufferPointer { plane.update(from: $0.baseAddress!, count: count) }
        }
        f.pointee.pts = nextPTS
        nextPTS += Int64(count)
        // No KEEP_REF: the graph takes the frame's only reference; `frame` is left empty.
        try check(av_buffersrc_add_frame_flags(source, f, 0), path: "", "audio filter input")
        return try drain()
    }

    /// Ends the stream and returns what the filters still held (look-ahead, resampler delay).
    public func finish() throws -> [AudioChunk] {
        guard !finished else { return [] }
        finished = true
        try check(av_buffersrc_add_frame_flags(source, nil, 0), path: "", "audio filter end")
        return try drain()
    }

    private func drain() throws -> [AudioChunk] {
        var out: [AudioChunk] = []
        while true {
            let frame = Frame()
            let r = av_buffersink_get_frame(sink, frame.pointer)
            if r == AVERROR_EAGAIN_CODE || r == AVERROR_EOF_CODE { break }
            try check(r, path: "", "audio filter output")
            out.append(Self.chunk(frame.pointer))
        }
        return out
    }

    private static func chunk(_ f: UnsafeMutablePointer<AVFrame>) -> AudioChunk {
        let count = Int(f.pointee.nb_samples)
        var channels: [[Float]] = []
        for c in 0..<Int(f.pointee.ch_layout.nb_channels) {
            let plane = UnsafeRawPointer(f.pointee.extended_data[c]!).assumingMemoryBound(to: Float.self)
            channels.append(Array(UnsafeBufferPointer(start: plane, count: count)))
        }
        return AudioChunk(channels: channels, metadata: Frame.metadata(f))
    }

    /// The common length of the two channels; throws when the shape is wrong (a caller's bug).
    static func validate(_ channels: [[Float]]) throws -> Int {
        guard channels.count == channelCount, channels[0].count == channels[1].count else {
            throw MediaError(.internalFailure, path: "",
                             "audio: expected \(channelCount) channels of equal length, got \(channels.map(\.count))")
        }
        return channels[0].count
    }
}
