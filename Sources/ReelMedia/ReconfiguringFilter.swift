import Foundation

/// A filter graph that follows its input: rebuilt when a frame arrives whose size, pixel
/// format, sample aspect or colour tags differ from the frames the graph was configured for
/// (what ffmpeg's fftools do on a mid-stream change). The old graph is flushed first, so
/// frames it still held (bwdif keeps one) come out before the new graph's.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class ReconfiguringFilter: @unchecked Sendable {
    /// What a graph is configured for; a change in any of these needs a new graph.
    struct InputShape: Equatable {
        var width: Int, height: Int
        var sampleAspect: Rational
        var color: FrameColor
        init(_ frame: Frame) {
            width = frame.width
            height = frame.height
            sampleAspect = frame.storedSampleAspect
            color = frame.color
        }
    }

    private let timeBase: Rational
    private let threads: Int
    private let describe: (Frame) throws -> FilterGraphText
    private var graph: (shape: InputShape, graph: FilterGraph)?
    /// How many graphs were built (1 for a stream that never changes).
    public private(set) var configurations = 0

    /// - Parameters:
    ///   - timeBase: the time base of the input frames' pts.
    ///   - threads: libavfilter's slice threads.
    ///   - describe: the chain for frames like this one (may depend on its size or colour).
    public convenience init(timeBase: Rational, threads: Int = 1, _ describe: @escaping (Frame) throws -> FilterChain) {
        self.init(timeBase: timeBase, threads: threads, graph: { FilterGraphText(try describe($0)) })
    }

    /// A filter of several labelled chains (a split and an overlay, …).
    /// - Parameter graph: the graph for frames like this one (may depend on its size or colour).
    public init(timeBase: Rational, threads: Int = 1, graph: @escaping (Frame) throws -> FilterGraphText) {
        self.timeBase = timeBase
        self.threads = threads
        describe = graph
    }

    /// A filter whose chain does not depend on the input.
    public convenience init(_ chain: FilterChain, timeBase: Rational, threads: Int = 1) {
        self.init(timeBase: timeBase, threads: threads) { _ in chain }
    }

    /// Pushes one frame (the caller keeps its own reference) and returns what came out.
    public func process(_ frame: Frame) throws -> [Frame] {
        let shape = InputShape(frame)
        var out: [Frame] = []
        if graph?.shape != shape {
            out = try flush()
            graph = (shape, try FilterGraph(describe(frame), input: frame, timeBase: timeBase, threads: threads))
            configurations += 1
        }
        return out + (try graph!.graph.process(frame))
    }

    /// For a graph that turns each picture into exactly one (scale, crop, key… nothing that
    /// holds frames back): the picture `frame` made. A rebuild's flush of the old graph gives
    /// nothing more, so it is the last frame out; nil if the graph gave none.
    public func picture(from frame: Frame) throws -> Frame? { try process(frame).last }

    /// End of input: the frames the graph still holds. The next frame starts a fresh graph.
    public func flush() throws -> [Frame] {
        guard let g = graph else { return [] }
        graph = nil
        return try g.graph.process(nil)
    }

    /// The output time base of the current graph (bwdif's is half the input's), if one is built.
    public var outputTimeBase: Rational? { graph?.graph.outputTimeBase }

    /// The chain of the current graph as libavfilter text, if one is built.
    public var currentDescription: String? { graph?.graph.description }
}
