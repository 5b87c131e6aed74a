import Foundation
import ReelText

/// Subtitle bytes through every format reader: the extension picks the format (and content
/// sniffing may override it), detection picks the encoding; the forced encodings reach the
/// GB18030 and UTF-16 decoders even when the bytes happen to be valid UTF-8.
enum SubtitleFuzzing {
    static let readings: [(path: String, encoding: String?)] = [
        ("fuzz.srt", nil), ("fuzz.vtt", nil), ("fuzz.ass", nil), ("fuzz.txt", nil),
        ("fuzz.srt", "gb18030"), ("fuzz.srt", "utf-16"),
    ]

    static func run(_ data: Data) {
        for (path, encoding) in readings {
            _ = try? SubtitleReader.parse(data, path: path, encoding: encoding)
        }
    }
}
