import Foundation

/// Why a job failed, kept as `OUTDIR/logs/NAME.failed.json` until it renders, so the report
/// of a cluster run shows failures from every worker.
public struct JobFailure: Codable, Sendable {
    public var job: String
    public var fingerprint: String
    public var reason: String
    public var log: String
    public var worker: String
    /// Seconds since 1970.
    public var time: Double

    public static func path(outputFolder: String, job: String) -> String {
        (outputFolder as NSString).appendingPathComponent("logs/\(job).failed.json")
    }

    public static func read(outputFolder: String, job: String) -> JobFailure? {
        FileManager.default.contents(atPath: path(outputFolder: outputFolder, job: job)).flatMap { try? JSONDecoder().decode(JobFailure.self, from: $0) }
    }

    public func write(outputFolder: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(self) { try? AtomicFile.write(data, to: Self.path(outputFolder: outputFolder, job: job)) }
    }

    public static func remove(outputFolder: String, job: String) {
        unlink(path(outputFolder: outputFolder, job: job))
    }
}
