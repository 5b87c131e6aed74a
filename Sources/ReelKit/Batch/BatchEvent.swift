import Foundation

/// One line of `reel batch --progress json`: what happened to a job, or the batch's summary.
/// Fields that do not apply to an event are absent.
public struct BatchEvent: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case queued, started, progress, done, skipped, failed, summary }
    public var event: Kind
    public var job: String?
    /// The worker (`host:pid`) that sent the event: lines from many workers can be merged.
    public var worker: String
    public var percent: Double?
    public var eta: Double?
    public var output: String?
    public var log: String?
    public var reason: String?
    public var seconds: Double?
    // Summary only.
    public var total: Int?
    public var done: Int?
    public var skipped: Int?
    public var failed: Int?
    /// Peak resident memory of the batch process itself (its children not counted), KiB.
    public var peakMemoryKiB: Int?

    public init(_ event: Kind, job: String? = nil) {
        self.event = event
        self.job = job
        worker = BatchEvent.worker
    }

    public static let worker = "\(ClaimLock.hostName):\(getpid())"

    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
