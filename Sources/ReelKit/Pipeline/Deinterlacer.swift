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
    private var graph: FilterGraph?
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
            if graph == nil {
                // deint=all for `on`; in auto only frames flagged interlaced are touched.
                let which = mode == .on ? "all" : "interlaced"
                graph = try FilterGraph("[in]bwdif=mode=send_frame:parity=auto:deint=\(which)[out]", input: frame, timeBase: timeBase)
            }
            out += try rescaled(graph!.process(frame), graph!)
        }
        return out
    }

    /// bwdif puts frames out in half the input's time base: back to the stream's own.
    private func rescaled(_ frames: [Frame], _ g: FilterGraph) -> [Frame] {
        let out = g.outputTimeBase
        guard out != timeBase, out.den > 0, timeBase.num > 0 else { return frames }
        for f in frames {
            if let pts = f.pts {
                f.pts = Int64((Double(pts) * Double(out.num) * Double(timeBase.den) / (Double(out.den) * Double(timeBase.num))).rounded())
            }
        }
        return frames
    }

    /// The frame bwdif still holds, at the end of a segment; the next segment starts a new graph.
    func finish() throws -> [Frame] {
        guard let g = graph else { return [] }
        graph = nil
        return rescaled(try g.process(nil), g)
    }
}

/// `--deinterlace`: auto (when the stream or its frames say interlaced), on, off.
public enum DeinterlaceMode: String, Sendable, Codable, CaseIterable { case auto, on, off }
