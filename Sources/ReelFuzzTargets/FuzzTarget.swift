import Foundation
import ReelKit
import ReelMedia
import ReelText

/// What a fuzz target feeds one input to: the readers of untrusted files. Each returns
/// normally for any input (a thrown, clear error is the expected answer to garbage); a crash,
/// a sanitizer report or a timeout is the finding. The same entry points replay stored crash
/// inputs in the regression tests, so a fixed finding stays fixed.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// SRT, WebVTT and ASS readers with encoding detection (and the forced encodings).
    case subtitles
    /// The plan decoder (YAML and JSON) and its application to render options.
    case plan
    /// Probe, demuxing and decoding of the first packets of a media file.
    case media

    /// Feeds one input; errors thrown by the readers are the expected outcome and ignored.
    public func run(_ data: Data) {
        switch self {
        case .subtitles: SubtitleFuzzing.run(data)
        case .plan: PlanFuzzing.run(data)
        case .media: MediaFuzzing.run(data)
        }
    }
}
