import Foundation

/// One step of the render graph (decode, compose, encode + mux, a PNG sink), the shape of
/// FFmpeg's fftools: it reads its input queue and writes its output queue, never another
/// stage. The end of a stream travels through the queue (the scheduler closes a stage's
/// output when `run` returns; a stage may send its own end message first). The scheduler
/// owns the threads, the queues, cancellation and the first error.
protocol RenderStage: AnyObject, Sendable {
    /// For thread names and `--stats`.
    var name: String { get }
    var input: (any MeteredQueue)? { get }
    var output: (any MeteredQueue)? { get }
    /// Items handed on (frames for video stages).
    var itemsOut: Int { get }
    /// Items handed on without redoing the work because nothing had changed.
    var skippedUnchanged: Int { get }
    /// Runs until its input ends, or returns early once `control` says the run is stopping.
    func run(_ control: FailureBox) throws
}
