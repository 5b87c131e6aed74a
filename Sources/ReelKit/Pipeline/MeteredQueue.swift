import Foundation

/// What the scheduler sees of a queue between two stages, whatever it carries: it can stop
/// it (failure, cancellation) and read what it measured.
protocol MeteredQueue: AnyObject, Sendable {
    /// Seconds the producer spent blocked on a full queue.
    var pushWaitSeconds: Double { get }
    /// Seconds the consumer spent blocked on an empty queue.
    var popWaitSeconds: Double { get }
    /// The most items it ever held at once.
    var peakDepth: Int { get }
    /// No more items will come: the consumer drains what is queued, then sees the end.
    func close()
    /// Closes and drops what is queued.
    func cancel()
}
