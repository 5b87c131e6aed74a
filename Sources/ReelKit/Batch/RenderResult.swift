import Foundation

/// The last JSON line `reel render --progress json` prints: what the render decided and
/// measured. The batch keeps it in the job's manifest for the report.
public struct RenderResult: Codable, Sendable, Equatable {
    public var event = "summary"
    public var output: String
    public var frames: Int
    public var duration: Double
    public var wallSeconds: Double
    /// The featured region, `WxH at X,Y`, and why (`--crop auto`).
    public var crop: String
    public var cropReason: String?
    public var hook: String?
    public var loudness: String?

    public init(_ s: RenderSummary) {
        output = s.output
        frames = s.frames
        duration = s.duration
        wallSeconds = s.wallSeconds
        crop = "\(s.crop.width)x\(s.crop.height) at \(s.crop.x),\(s.crop.y)"
        cropReason = s.cropReason
        hook = s.hook
        loudness = s.loudness
    }

    /// One JSON line (no newline).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The result in a line of render output, if it is one.
    public static func parse(_ line: String) -> RenderResult? {
        guard line.contains("\"summary\"") else { return nil }
        return try? JSONDecoder().decode(RenderResult.self, from: Data(line.utf8))
    }
}
