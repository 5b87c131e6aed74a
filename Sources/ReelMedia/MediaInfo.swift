import Foundation

/// What reel sees in a media file: the facts `reel probe` prints and the pipeline plans with.
public struct MediaInfo: Codable, Sendable {
    public var path: String
    public var container: String
    /// Seconds; nil when the container does not say.
    public var duration: Double?
    /// The header declared no duration: `duration` (and the streams' own) were found by
    /// reading every packet to the end.
    public var durationFromPackets: Bool = false
    /// What the header said when the packets run longer (an FLV's onMetaData `duration`,
    /// written by whichever tool made the file): `duration` is then what the packets hold.
    public var declaredDuration: Double?
    public var streams: [StreamInfo]
    /// EBU R128 measurements of the best audio stream, when asked for and the file has audio.
    public var loudness: Loudness?

    public var video: StreamInfo? { streams.first { $0.kind == .video && !$0.isAttachedPicture } }
    public var audio: StreamInfo? { streams.first { $0.kind == .audio } }
}

public struct Rational: Codable, Sendable, Equatable, CustomStringConvertible {
    public var num: Int
    public var den: Int
    public init(_ num: Int, _ den: Int) { self.num = num; self.den = den }
    public var value: Double { den == 0 ? 0 : Double(num) / Double(den) }
    public var description: String { "\(num)/\(den)" }
}

public struct StreamInfo: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case video, audio, subtitle, data, attachment, unknown }
    public var index: Int
    public var kind: Kind
    public var codec: String
    public var profile: String?
    public var duration: Double?
    public var isAttachedPicture: Bool = false

    // Video
    public var width: Int?
    public var height: Int?
    public var sampleAspectRatio: Rational?
    /// Degrees clockwise the picture must be turned to be upright (from the display matrix).
    public var rotation: Int?
    public var mirrored: Bool?
    public var frameRate: Rational?
    public var averageFrameRate: Rational?
    public var isVariableFrameRate: Bool?
    /// The declared field order when interlaced (tt, bb, tb, bt); nil for progressive or unknown.
    public var fieldOrder: String?
    public var pixelFormat: String?
    public var bitDepth: Int?
    public var hasAlpha: Bool?
    public var colorRange: String?
    public var colorSpace: String?
    public var colorPrimaries: String?
    public var colorTransfer: String?

    // Audio
    public var sampleRate: Int?
    public var channels: Int?
    public var channelLayout: String?
    public var sampleFormat: String?

    /// Size as displayed: rotation and non-square pixels applied.
    public var displaySize: (width: Int, height: Int)? {
        guard var w = width, var h = height else { return nil }
        if let sar = sampleAspectRatio, sar.num > 0, sar.den > 0, sar.num != sar.den {
            w = Int((Double(w) * sar.value).rounded())
        }
        if let r = rotation, abs(r) % 180 == 90 { swap(&w, &h) }
        return (w, h)
    }
}
