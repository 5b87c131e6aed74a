import Foundation

/// One subtitle cue: a time span with a Chinese and an English side.
///
/// Either side may be empty (single-language files, or a bilingual file where a cue has only
/// one language). Text keeps reel's emphasis markup (`{卡帕西}`, `**TikTok**`) untouched;
/// format markup (HTML-ish tags, ASS override blocks) is already removed.
public struct Cue: Equatable, Sendable {
    /// Seconds from the start of the video.
    public var start: Double
    public var end: Double
    /// The Chinese line(s) joined with "\n" ("" if none).
    public var chinese: String
    /// The English line(s) joined with "\n" ("" if none).
    public var english: String
    /// 1-based line in the source file where the cue starts (for messages): the SRT index line
    /// (or the timing line when the index is missing), the WebVTT identifier or timing line,
    /// the ASS `Dialogue:` line.
    public var line: Int

    public init(start: Double, end: Double, chinese: String, english: String, line: Int) {
        self.start = start
        self.end = end
        self.chinese = chinese
        self.english = english
        self.line = line
    }

    /// True when neither side has any text.
    public var isEmpty: Bool { chinese.isEmpty && english.isEmpty }
}

/// A subtitle file that cannot be read or parsed, naming the file and (when it applies)
/// the 1-based line.
public struct SubtitleError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let line: Int?
    public let message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// "<path>: line <n>: <message>" or "<path>: <message>".
    public var description: String {
        if let line { return "\(path): line \(line): \(message)" }
        return "\(path): \(message)"
    }
}

/// The subtitle formats `SubtitleReader` understands.
public enum SubtitleFormat: String, Sendable, CaseIterable {
    case srt
    case webVTT = "vtt"
    case ass

    /// The format for a file extension (`srt`, `vtt`/`webvtt`, `ass`/`ssa`), case-insensitive.
    public init?(pathExtension ext: String) {
        switch ext.lowercased() {
        case "srt": self = .srt
        case "vtt", "webvtt": self = .webVTT
        case "ass", "ssa": self = .ass
        default: return nil
        }
    }
}
