import Foundation
import ReelMedia

/// Interlaced sources come out combed when their fields are scaled as one picture: libavfilter's
/// `bwdif` makes one progressive frame per frame (send_frame, field order from the frame) before
/// anything else sees them. `auto` turns it on when the stream declares a field order or the
/// first decoded frame is flagged interlaced; bwdif itself passes frames not flagged so unchanged.
final class Deinterlacer {
    typealias Mode = DeinterlaceMode
    private let mode: Mode
    private let streamIsInterlaced: Bool
    private let timeBase: Rational
    /// bwdif: deint=all for `on`; in auto only frames flagged interlaced are touched. Rebuilt
    /// if the pictures change size or format mid-stream.
    private lazy var filter = ReconfiguringFilter(FilterChain([.bwdif(allFrames: mode == .on)]), timeBase: timeBase)
    private var decided = false
    private(set) var isActive = false

    init(mode: Mode, streamIsInterlaced: Bool, timeBase: Rational) {
        self.mode = mode
        self.streamIsInterlaced = streamIsInterlaced
        self.timeBase = timeBase
    }

    /// Frames in decode order in; deinterlaced frames out (bwdif holds one frame back).
    func pass(_ frames: [Frame]) throws -> [Frame] {
        guard mode != .off else { return frames }
        var out: [Frame] = []
        for frame in frames {
            if !decided {
                decided = true
                isActive = mode == .on || streamIsInterlaced || frame.isInterlaced
            }
            guard isActive else { out.append(frame); continue }
            let produced = try filter.process(frame)
            out += rescaled(produced, from: filter.outputTimeBase)
        }
        return out
    }

    /// bwdif puts frames out in half the input's time base: back to the stream's own.
    private func rescaled(_ frames: [Frame], from outputTimeBase: Rational?) -> [Frame] {
        guard let out = outputTimeBase, out != timeBase, out.den > 0, timeBase.num > 0 else { return frames }
        for f in frames {
            if let pts = f.pts {
                f.pts = Int64((Double(pts) * Double(out.num) * Double(timeBase.den) / (Double(out.den) * Double(timeBase.num))).rounded())
            }
        }
        return frames
    }

    /// The frame bwdif still holds, at the end of a segment; the next segment starts a new graph.
    func finish() throws -> [Frame] {
        guard isActive else { return [] }
        let out = filter.outputTimeBase
        return rescaled(try filter.flush(), from: out)
    }
}

/// `--deinterlace`: auto (when the stream or its frames say interlaced), on, off.
public enum DeinterlaceMode: String, Sendable, Codable, CaseIterable { case auto, on, off }
