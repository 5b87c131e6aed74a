import Foundation

/// A render as a value: the options it was asked for and every decision the planner made
/// from them and the inputs (crop, layout, edit list and hook, audio sources, encoder
/// settings, frame count). Running it decides nothing more, so `reel plan` can write it,
/// and render, preview and tests all start from one. Immutable, `Sendable` and `Codable`.
public struct RenderJob: Sendable, Codable {
    /// What was asked (flags on top of a plan), validated.
    public let options: RenderOptions
    /// The recording's picture as decoded (stored size, rotation, aspect, colour).
    public let source: SourcePicture
    /// Seconds of the recording's video stream as its header states (nil when it does not).
    public let declaredVideoDuration: Double?
    /// Seconds of the recording the edit list is checked against.
    public let sourceDuration: Double
    public let recordingHasAudio: Bool
    /// The featured region (display pixels) and why it was chosen.
    public let crop: PixelRect
    public let cropReason: String?
    public let template: LayoutTemplate
    public let layout: CanvasLayout
    /// The output as ranges of the source: the hook first, then the body (one frame for a preview).
    public let edit: EditList
    /// Why `--hook auto` chose its range.
    public let hookReason: String?
    /// Output frames, counting an open last segment to the source's stated end.
    public let expectedFrames: Int
    /// Seconds of black or blank frames skipped at the start (LeadingBlank), nil when not looked for.
    public let skippedLeadingBlank: Double?
    public let audio: AudioSources
    public let encoder: EncoderSettings

    /// What the encoder is asked for (DESIGN.md: H.264, CRF, a VBV cap, AAC 48 kHz stereo).
    public struct EncoderSettings: Sendable, Codable, Equatable {
        public var encoder: String
        public var width: Int, height: Int, fps: Int
        public var crf: Int
        public var preset: String
        public var deterministic: Bool
        /// 0 = libavcodec's choice; 1 when deterministic (a single-threaded encoder is bit-exact).
        public var threads: Int
        public var audioSampleRate: Int
        public var audioBitrate: Int
    }
}
