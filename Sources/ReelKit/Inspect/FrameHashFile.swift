import Foundation
import ReelMedia

/// Per-frame checksums in FFmpeg's framemd5 text format (version 2), the format FATE uses
/// for references: header lines, then `stream, dts, pts, duration, size, hash` per frame.
public struct FrameHashFile: Sendable, Equatable {
    public struct Stream: Sendable, Equatable {
        public var timeBase: Rational
        public var mediaType: String        // "video" / "audio"
        public var codecID: String          // "rawvideo" / "pcm_s16le"
        public var width = 0, height = 0
        public var sampleAspect = Rational(1, 1)
        public var sampleRate = 0
        public var channelLayout = ""
        public init(timeBase: Rational, mediaType: String, codecID: String) {
            self.timeBase = timeBase; self.mediaType = mediaType; self.codecID = codecID
        }
    }
    public struct Entry: Sendable, Equatable, Codable {
        public var stream: Int
        public var dts: Int64
        public var pts: Int64
        public var duration: Int64
        public var size: Int
        public var md5: String
        public init(stream: Int, dts: Int64, pts: Int64, duration: Int64, size: Int, md5: String) {
            self.stream = stream; self.dts = dts; self.pts = pts; self.duration = duration; self.size = size; self.md5 = md5
        }
    }

    /// Extra `#key: value` comment lines after the standard header (reel's goldens name
    /// library versions and fonts there); framemd5 readers skip them.
    public var notes: [String] = []
    /// ffmpeg's `#software: Lavf…` line (the libavformat version: varies by build); reel
    /// hash writes it, composed-frame goldens do not.
    public var software: String?
    public var streams: [Stream] = []
    public var entries: [Entry] = []
    public init() {}

    /// The header of a render's composed-frame hashes (`--frame-hashes`, render and preview):
    /// one raw video stream at the output size, one tick per output frame.
    public static func composedFrames(width: Int, height: Int, fps: Int) -> FrameHashFile {
        var file = FrameHashFile()
        var stream = Stream(timeBase: Rational(1, fps), mediaType: "video", codecID: "rawvideo")
        stream.width = width
        stream.height = height
        file.streams = [stream]
        return file
    }

    /// Adds output frame `n`'s line to a `composedFrames` file.
    public mutating func addComposedFrame(_ n: Int64, md5: String, size: Int) {
        entries.append(Entry(stream: 0, dts: n, pts: n, duration: 1, size: size, md5: md5))
    }

    public var text: String {
        var lines = ["#format: frame checksums", "#version: 2", "#hash: MD5"] + (software.map { ["#software: \($0)"] } ?? [])
        for (i, s) in streams.enumerated() {
            lines.append("#tb \(i): \(s.timeBase.num)/\(s.timeBase.den)")
            lines.append("#media_type \(i): \(s.mediaType)")
            lines.append("#codec_id \(i): \(s.codecID)")
            if s.mediaType == "video" {
                lines.append("#dimensions \(i): \(s.width)x\(s.height)")
                lines.append("#sar \(i): \(s.sampleAspect.num)/\(s.sampleAspect.den)")
            } else {
                lines.append("#sample_rate \(i): \(s.sampleRate)")
                lines.append("#channel_layout_name \(i): \(s.channelLayout)")
            }
        }
        lines += notes.map { "#\($0)" }
        lines.append("#stream#, dts,        pts, duration,     size, hash")
        for e in entries {
            lines.append(String(format: "%d, %10lld, %10lld, %8lld, %8d, %@", e.stream, e.dts, e.pts, e.duration, e.size, e.md5))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Fills stream facts from a header line such as "tb 0: 1/30" or "dimensions 0: 1080x1920".
    private mutating func readStreamHeader(_ body: String) {
        let parts = body.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let key = parts[0].split(separator: " ")
        guard parts.count == 2, key.count == 2, let i = Int(key[1]), i >= 0, i < 16 else { return }
        while streams.count <= i { streams.append(Stream(timeBase: Rational(1, 1), mediaType: "", codecID: "")) }
        let value = parts[1]
        func pair(_ sep: Character) -> (Int, Int)? {
            let p = value.split(separator: sep).compactMap { Int($0) }
            return p.count == 2 ? (p[0], p[1]) : nil
        }
        switch key[0] {
        case "tb": if let (n, d) = pair("/") { streams[i].timeBase = Rational(n, d) }
        case "media_type": streams[i].mediaType = value
        case "codec_id": streams[i].codecID = value
        case "dimensions": if let (w, h) = pair("x") { streams[i].width = w; streams[i].height = h }
        case "sar": if let (n, d) = pair("/") { streams[i].sampleAspect = Rational(n, d) }
        case "sample_rate": streams[i].sampleRate = Int(value) ?? 0
        case "channel_layout_name": streams[i].channelLayout = value
        default: break
        }
    }

    /// Reads framemd5 text (from reel or ffmpeg). Only frame lines and the notes are kept.
    public static func parse(_ text: String, path: String = "") throws -> FrameHashFile {
        var file = FrameHashFile()
        let standard = ["format:", "version:", "hash:", "tb ", "media_type ", "codec_id ", "dimensions ", "sar ",
                        "sample_rate ", "channel_layout_name ", "stream#", "extradata ", "software:"]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let body = String(line.dropFirst())
                if !standard.contains(where: { body.hasPrefix($0) }) { file.notes.append(body) }
                else { file.readStreamHeader(body) }
                continue
            }
            let cols = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cols.count == 6, let s = Int(cols[0]), let dts = Int64(cols[1]), let pts = Int64(cols[2]),
                  let dur = Int64(cols[3]), let size = Int(cols[4]) else {
                throw MediaError(.invalidInput, path: path, "line \(n + 1): not a framemd5 frame line")
            }
            file.entries.append(Entry(stream: s, dts: dts, pts: pts, duration: dur, size: size, md5: cols[5]))
        }
        return file
    }
}
