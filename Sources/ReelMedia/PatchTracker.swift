internal import CFFmpeg
import Foundation

/// A patch of a yuva420p picture's luma, kept to find the same content again in later
/// pictures: how a sticker follows what it is printed on (the cap on a swaying head).
/// Only opaque pixels count: around a cut-out the transparent background carries nothing.
public struct LumaPatch: Sendable {
    public let x: Int, y: Int, width: Int, height: Int
    /// Opaque pixels as (column, row, luma) relative to (x, y): all of them, and every
    /// second one of every second row, and every fourth of every fourth (coarse searches).
    let points: [SIMD3<Int32>], half: [SIMD3<Int32>], quarter: [SIMD3<Int32>]
    /// Enough opaque pixels with some contrast: a flat patch cannot be located.
    public let usable: Bool
}

extension Frame {
    /// Mean absolute luma difference (0…255) under which a match near the last shift is taken
    /// without searching further: the same content re-encoded and re-scaled stays well under.
    static let goodMatch = 6.0

    /// A yuva420p picture from its luma and alpha planes (chroma neutral): pictures to
    /// track in tests, where no decoder makes them.
    convenience init(yuvaLuma luma: [UInt8], alpha: [UInt8], width: Int, height: Int) throws {
        self.init()
        let f = pointer
        f.pointee.width = Int32(width)
        f.pointee.height = Int32(height)
        f.pointee.format = AV_PIX_FMT_YUVA420P.rawValue
        try allocateBuffers("a \(width)x\(height) yuva420p picture")
        guard let py = f.pointee.data.0, let pu = f.pointee.data.1, let pv = f.pointee.data.2, let pa = f.pointee.data.3 else {
            throw MediaError(.internalFailure, path: "", "yuva420p picture is missing a plane")
        }
        let ly = Int(f.pointee.linesize.0), lu = Int(f.pointee.linesize.1), lv = Int(f.pointee.linesize.2), la = Int(f.pointee.linesize.3)
        for row in 0..<height {
            for col in 0..<width {
                py[row * ly + col] = luma[row * width + col]
                pa[row * la + col] = alpha[row * width + col]
            }
        }
        for row in 0..<(height + 1) / 2 {
            for col in 0..<(width + 1) / 2 {
                pu[row * lu + col] = 128
                pv[row * lv + col] = 128
            }
        }
    }

    /// The luma of the rectangle (clipped to the picture), or nil when nothing of it is inside.
    public func lumaPatch(x: Int, y: Int, width: Int, height: Int) -> LumaPatch? {
        guard isYUVA420, let py = pointer.pointee.data.0, let pa = pointer.pointee.data.3 else { return nil }
        let x0 = max(0, x), y0 = max(0, y), x1 = min(self.width, x + width), y1 = min(self.height, y + height)
        guard x1 - x0 >= 8, y1 - y0 >= 8 else { return nil }
        let ly = Int(pointer.pointee.linesize.0), la = Int(pointer.pointee.linesize.3)
        var points: [SIMD3<Int32>] = [], half: [SIMD3<Int32>] = [], quarter: [SIMD3<Int32>] = []
        var low = 255, high = 0
        for row in 0..<(y1 - y0) {
            for col in 0..<(x1 - x0) where pa[(y0 + row) * la + x0 + col] >= 128 {
                let v = Int(py[(y0 + row) * ly + x0 + col])
                let p = SIMD3<Int32>(Int32(col), Int32(row), Int32(v))
                points.append(p)
                if row % 2 == 0 && col % 2 == 0 { half.append(p) }
                if row % 4 == 0 && col % 4 == 0 { quarter.append(p) }
                low = min(low, v); high = max(high, v)
            }
        }
        let usable = points.count * 4 >= (x1 - x0) * (y1 - y0) && high - low >= 24 && quarter.count >= 16
        return LumaPatch(x: x0, y: y0, width: x1 - x0, height: y1 - y0, points: points, half: half, quarter: quarter, usable: usable)
    }

    /// Where `patch` is in this picture, as a shift from where it was taken (|dx|, |dy| ≤
    /// radius): least mean absolute luma difference over pixels opaque in both. Searches
    /// ±3 around `guess` (the last shift: consecutive frames move little) on every second
    /// pixel, falls back to the whole ±radius on every fourth when the best lands on that
    /// window's edge or matches poorly, then settles on the best neighbour at full resolution.
    public func locate(_ patch: LumaPatch, near guess: (dx: Int, dy: Int), radius: Int) -> (dx: Int, dy: Int) {
        guard patch.usable, isYUVA420, let py = pointer.pointee.data.0, let pa = pointer.pointee.data.3 else { return (0, 0) }
        let ly = Int(pointer.pointee.linesize.0), la = Int(pointer.pointee.linesize.3)
        let fw = self.width, fh = self.height
        func cost(_ dx: Int, _ dy: Int, _ points: [SIMD3<Int32>]) -> Double {
            var sum = 0, n = 0
            let ox = patch.x + dx, oy = patch.y + dy
            points.withUnsafeBufferPointer { pts in
                for p in pts {
                    let fx = ox + Int(p.x), fy = oy + Int(p.y)
                    guard fx >= 0, fy >= 0, fx < fw, fy < fh, pa[fy * la + fx] >= 128 else { continue }
                    sum += abs(Int(p.z) - Int(py[fy * ly + fx]))
                    n += 1
                }
            }
            // Too little overlap is no evidence: such a shift loses.
            return n * 2 >= points.count ? Double(sum) / Double(n) : .infinity
        }
        func search(_ cx: Int, _ cy: Int, reach: Int, step: Int, _ points: [SIMD3<Int32>]) -> (dx: Int, dy: Int, cost: Double) {
            var best = (dx: cx, dy: cy, cost: Double.infinity)
            for dy in stride(from: cy - reach, through: cy + reach, by: step) where abs(dy) <= radius {
                for dx in stride(from: cx - reach, through: cx + reach, by: step) where abs(dx) <= radius {
                    let c = cost(dx, dy, points)
                    // Ties keep the shift nearer the centre: a still picture stays put.
                    if c < best.cost || (c == best.cost && abs(dx - cx) + abs(dy - cy) < abs(best.dx - cx) + abs(best.dy - cy)) {
                        best = (dx, dy, c)
                    }
                }
            }
            return best
        }
        let gx = max(-radius, min(radius, guess.dx)), gy = max(-radius, min(radius, guess.dy))
        var best = search(gx, gy, reach: 3, step: 1, patch.half)
        // On the window's edge, or no good match inside it (a repeating texture has false
        // minima): search everything and keep whichever matches better.
        if abs(best.dx - gx) == 3 || abs(best.dy - gy) == 3 || !(best.cost <= Self.goodMatch) {
            // Every shift on sparse pixels, not sparse shifts: on fine texture the right
            // shift's basin is a pixel wide, and sparse pixels still score it exactly.
            let wide = search(0, 0, reach: radius, step: 1, patch.quarter)
            let found = search(wide.dx, wide.dy, reach: 1, step: 1, patch.half)
            if found.cost < best.cost { best = found }
        }
        let fine = search(best.dx, best.dy, reach: 1, step: 1, patch.points)
        return fine.cost.isFinite ? (fine.dx, fine.dy) : (0, 0)
    }
}
