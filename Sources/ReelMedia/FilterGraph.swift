internal import CFFmpeg
import Foundation

/// A libavfilter graph with one video input and one video output. Build its text with
/// `FilterChain` / `FilterGraphText` (typed filters, escaped in one place).
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class FilterGraph: @unchecked Sendable {
    let graph: UnsafeMutablePointer<AVFilterGraph>
    let source: UnsafeMutablePointer<AVFilterContext>
    let sink: UnsafeMutablePointer<AVFilterContext>
    public let description: String

    /// A graph from its text: private, so filter text is only ever built (and escaped) by
    /// `FilterChain`/`FilterGraphText`, which the public initializers take.
    /// - Parameters:
    ///   - description: the graph from `[in]` to `[out]`, e.g. "[in]scale=640:360,format=yuv420p[out]".
    ///   - input: a frame whose size, format and aspect the graph is configured for.
    ///   - timeBase: the time base of the frames' pts.
    ///   - threads: libavfilter's slice threads (1 for strictly sequential work).
    private init(_ description: String, input: Frame, timeBase: Rational, threads: Int = 1) throws {
        guard let g = avfilter_graph_alloc() else { fatalError("avfilter_graph_alloc: out of memory") }
        graph = g
        self.description = description
        g.pointee.nb_threads = Int32(threads)
        let f = input.pointer.pointee
        let sar = f.sample_aspect_ratio.num > 0 ? f.sample_aspect_ratio : AVRational(num: 1, den: 1)
        let args = "video_size=\(f.width)x\(f.height):pix_fmt=\(f.format):time_base=\(timeBase.num)/\(max(timeBase.den, 1)):pixel_aspect=\(sar.num)/\(sar.den)"
        var src: UnsafeMutablePointer<AVFilterContext>? = nil
        var dst: UnsafeMutablePointer<AVFilterContext>? = nil
        do {
            try check(avfilter_graph_create_filter(&src, avfilter_get_by_name("buffer"), "in", args, nil, g),
                      path: "", "filter source (\(args))")
            try check(avfilter_graph_create_filter(&dst, avfilter_get_by_name("buffersink"), "out", nil, nil, g),
                      path: "", "filter sink")
            var outputs = avfilter_inout_alloc(), inputs = avfilter_inout_alloc()
            defer { avfilter_inout_free(&outputs); avfilter_inout_free(&inputs) }
            outputs!.pointee.name = av_strdup("in"); outputs!.pointee.filter_ctx = src; outputs!.pointee.pad_idx = 0; outputs!.pointee.next = nil
            inputs!.pointee.name = av_strdup("out"); inputs!.pointee.filter_ctx = dst; inputs!.pointee.pad_idx = 0; inputs!.pointee.next = nil
            try check(avfilter_graph_parse_ptr(g, description, &inputs, &outputs, nil), path: "", "filter graph \"\(description)\"")
            try check(avfilter_graph_config(g, nil), path: "", "filter graph \"\(description)\"")
        } catch {
            var gp: UnsafeMutablePointer<AVFilterGraph>? = g
            avfilter_graph_free(&gp)
            throw error
        }
        source = src!
        sink = dst!
    }

    /// A graph from a typed chain (see `FilterChain`): the text is rendered and escaped there.
    public convenience init(_ chain: FilterChain, input: Frame, timeBase: Rational, threads: Int = 1) throws {
        try self.init(chain.description, input: input, timeBase: timeBase, threads: threads)
    }

    /// A graph of several labelled chains (see `FilterGraphText`), from `[in]` to `[out]`.
    public convenience init(_ graph: FilterGraphText, input: Frame, timeBase: Rational, threads: Int = 1) throws {
        try self.init(graph.description, input: input, timeBase: timeBase, threads: threads)
    }

    deinit {
        var g: UnsafeMutablePointer<AVFilterGraph>? = graph
        avfilter_graph_free(&g)
    }

    /// Pushes one frame (nil = end) and returns every frame the graph produced.
    /// The input keeps its own reference (AV_BUFFERSRC_FLAG_KEEP_REF): the caller still owns it.
    public func process(_ frame: Frame?) throws -> [Frame] {
        let code = av_buffersrc_add_frame_flags(source, frame?.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF))
        try check(code, path: "", "filter input")
        var out: [Frame] = []
        while true {
            let result = Frame()
            let r = av_buffersink_get_frame(sink, result.pointer)
            if r == AVERROR_EAGAIN_CODE || r == AVERROR_EOF_CODE { break }
            try check(r, path: "", "filter output")
            out.append(result)
        }
        return out
    }

    /// The time base of the frames the graph puts out (yadif/bwdif halve it, for instance).
    public var outputTimeBase: Rational {
        let tb = av_buffersink_get_time_base(sink)
        return Rational(Int(tb.num), Int(tb.den))
    }
}
