import Foundation

/// The text `reel hash --compare` prints.
public enum HashReport {
    public static func comparisonText(_ r: FrameComparison.Result, a: String, b: String) -> String {
        var lines: [String] = []
        if r.countA != r.countB { lines.append("frame counts differ: \(a) has \(r.countA), \(b) has \(r.countB)") }
        guard let first = r.firstDifference else {
            lines.append("identical: \(r.frames.count) frames")
            return lines.joined(separator: "\n")
        }
        let f = r.frames[first]
        lines.append(String(format: "first difference: frame %d at %.3f s", first, f.seconds))
        for frame in r.frames where !frame.identical {
            lines.append(String(format: "frame %d  %.3f s  PSNR %.2f dB", frame.index, frame.seconds, frame.psnr ?? .infinity))
        }
        if let m = r.minimumPSNR { lines.append(String(format: "%d of %d frames differ; lowest PSNR %.2f dB",
                                                       r.frames.filter { !$0.identical }.count, r.frames.count, m)) }
        return lines.joined(separator: "\n")
    }
}
