import Foundation

/// What a render reports while it runs: one event at the start, progress events (a few
/// per second), and one at the end.
public struct RenderProgress: Sendable, Codable {
    public enum Event: String, Sendable, Codable { case start, progress, done }
    public var event: Event
    public var frame: Int
    public var totalFrames: Int
    public var percent: Double
    /// Frames composed and encoded per second so far.
    public var fps: Double
    /// Seconds left at the current speed (nil until measurable).
    public var eta: Double?
    /// Media seconds rendered per wall-clock second.
    public var speed: Double
    public var output: String
}

/// The result of a finished render.
public struct RenderSummary: Sendable {
    public var output: String
    public var frames: Int
    public var duration: Double
    public var wallSeconds: Double
    /// The region of the recording that was featured (display coordinates).
    public var crop: PixelRect
    /// The summary of that choice: the region, why, and the estimated size of its text on the phone.
    public var cropReason: String?
    /// Source frames whose composition was reused because the picture had not changed.
    public var reusedFrames: Int
    /// Why `--hook auto` chose its range.
    public var hook: String?
    /// The audio mix's loudness, as measured and normalized.
    public var loudness: String?
    /// Seconds of black or blank frames skipped at the start of the source (LeadingBlank).
    public var skippedLeadingBlank: Double? = nil
    /// What the scheduler measured of each stage (`reel render --stats`).
    public var stages: [StageStats] = []
}
