import Foundation

/// One step of the render graph (decode the recording, decode the presenter, compose,
/// encode, audio, mux, a PNG sink), the shape of FFmpeg's fftools: it reads its input
/// queues and writes its output queues (its ports), never another stage. The end of a
/// stream travels through the queue as a message (a stage sends its own end message; the
/// scheduler closes its outputs when `run` returns, and its inputs too, so a stage upstream
/// that would go on feeding it sees that nobody reads any more). The scheduler owns the
/// threads, the queues, cancellation and the first error.
protocol RenderStage: AnyObject, Sendable {
    /// For thread names and `--stats`.
    var name: String { get }
    var inputs: [any MeteredQueue] { get }
    var outputs: [any MeteredQueue] { get }
    /// Items handed on (frames for video stages).
    var itemsOut: Int { get }
    /// Items handed on without redoing the work because nothing had changed.
    var skippedUnchanged: Int { get }
    /// Runs until its input ends, or returns early once `control` says the run is stopping.
    func run(_ control: FailureBox) throws
}
