import Foundation

/// What the scheduler measured of one stage (`reel render --stats`): where its wall time
/// went, so a slow render shows which stage is the bottleneck and which ones wait on it.
public struct StageStats: Sendable, Codable, Equatable {
    public var stage: String
    /// Seconds from the stage's start to its end.
    public var wallSeconds: Double
    /// Seconds working: the wall time less the waits below.
    public var busySeconds: Double
    /// Seconds blocked on an empty input queue (starved by the stage before it).
    public var waitInputSeconds: Double
    /// Seconds blocked on a full output queue (held back by the stage after it).
    public var waitOutputSeconds: Double
    public var itemsOut: Int
    /// Items handed on without redoing the work because nothing had changed.
    public var skippedUnchanged: Int
    /// The most items its input queue held at once (nil for a source).
    public var peakInputDepth: Int?

    /// A table for stderr, one stage a line.
    public static func table(_ stats: [StageStats]) -> String {
        func cell(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let head = ["stage", "wall s", "busy s", "wait-in s", "wait-out s", "frames", "unchanged", "peak-in"]
        let widths = [12, 8, 8, 11, 11, 8, 10, 8]
        var lines = [zip(head, widths).enumerated().map { i, c in i == 0 ? c.0.padding(toLength: c.1, withPad: " ", startingAt: 0) : cell(c.0, c.1) }.joined()]
        for s in stats {
            let row = [s.stage.padding(toLength: 12, withPad: " ", startingAt: 0), cell(String(format: "%.2f", s.wallSeconds), 8),
                       cell(String(format: "%.2f", s.busySeconds), 8), cell(String(format: "%.2f", s.waitInputSeconds), 11),
                       cell(String(format: "%.2f", s.waitOutputSeconds), 11), cell(String(s.itemsOut), 8),
                       cell(String(s.skippedUnchanged), 10), cell(s.peakInputDepth.map(String.init) ?? "-", 8)]
            lines.append(row.joined())
        }
        return lines.joined(separator: "\n")
    }
}
