import Foundation
import ReelMedia

/// The human-readable form of `reel probe`.
public enum ProbeReport {
    /// - Parameter loudness: whether loudness was asked for (a line is printed even without audio).
    public static func text(_ info: MediaInfo, loudness: Bool = false) -> String {
        var lines = ["\(info.path): \(info.container), duration \(seconds(info.duration))"
                     + (!info.durationFromPackets ? ""
                        : info.declaredDuration.map { " (found by reading the packets; the header says \(seconds($0)))" }
                        ?? " (not in the header: found by reading the packets)")]
        for s in info.streams {
            var parts = ["  #\(s.index) \(s.kind.rawValue): \(s.codec)"]
            if let p = s.profile { parts[0] += " (\(p))" }
            switch s.kind {
            case .video:
                if let w = s.width, let h = s.height { parts.append("\(w)x\(h)") }
                if let d = s.displaySize, d.width != s.width || d.height != s.height { parts.append("displayed \(d.width)x\(d.height)") }
                if let sar = s.sampleAspectRatio, sar.num != sar.den { parts.append("SAR \(sar.num):\(sar.den)") }
                parts.append("rotation \(s.rotation ?? 0)°\(s.mirrored == true ? " mirrored" : "")")
                if let r = s.averageFrameRate ?? s.frameRate {
                    parts.append(String(format: "%.3f fps", r.value) + (s.isVariableFrameRate == true ? " variable" : " constant"))
                }
                if let order = s.fieldOrder { parts.append("interlaced (\(order))") }
                if let f = s.pixelFormat { parts.append("\(f)\(s.bitDepth.map { " \($0)-bit" } ?? "")") }
                parts.append("colour \(s.colorSpace ?? "?")/\(s.colorPrimaries ?? "?")/\(s.colorTransfer ?? "?") range \(s.colorRange ?? "?")")
                if s.hasAlpha == true { parts.append("alpha") }
                if s.isAttachedPicture { parts.append("cover art") }
            case .audio:
                if let r = s.sampleRate { parts.append("\(r) Hz") }
                if let l = s.channelLayout { parts.append(l) } else if let c = s.channels { parts.append("\(c) ch") }
                if let f = s.sampleFormat { parts.append(f) }
            default: break
            }
            if let d = s.duration { parts.append("duration \(seconds(d))") }
            lines.append(parts.joined(separator: ", "))
        }
        if loudness { lines.append("loudness: " + (info.loudness.map(Self.loudness) ?? "no audio stream")) }
        return lines.joined(separator: "\n")
    }

    static func loudness(_ l: Loudness) -> String {
        String(format: "%.1f LUFS integrated", l.integrated) + (l.isSilent ? " (silence)" : "")
            + String(format: ", true peak %.1f dBTP, sample peak %.1f dBFS, range %.1f LU", l.truePeak, l.samplePeak, l.range)
    }

    static func seconds(_ d: Double?) -> String { d.map { String(format: "%.3f s", $0) } ?? "unknown" }
}
