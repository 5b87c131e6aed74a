internal import CFFmpeg
internal import CReelShims
import Foundation

/// A picture with alpha prepared once for blending onto yuv420p BT.709 limited-range
/// frames: luma and alpha at full resolution, chroma and its alpha at half resolution.
/// Text is rasterized and converted once per cue; each frame then only blends.
public struct Overlay: Sendable {
    public let width: Int
    public let height: Int
    let luma: [UInt8], alpha: [UInt8]
    let cb: [UInt8], cr: [UInt8], chromaAlpha: [UInt8]
    /// Per row, the columns that have any alpha: blending skips the transparent rest.
    let rowSpans: [Range<Int>]
    var chromaWidth: Int { (width + 1) / 2 }
    var chromaHeight: Int { (height + 1) / 2 }

    /// One opaque colour (limited-range Y, Cb, Cr) over the whole area: a flash, a fade.
    public init(solid yuv: (y: UInt8, cb: UInt8, cr: UInt8), width: Int, height: Int) {
        self.width = width
        self.height = height
        luma = [UInt8](repeating: yuv.y, count: width * height)
        alpha = [UInt8](repeating: 255, count: width * height)
        let chroma = ((width + 1) / 2) * ((height + 1) / 2)
        cb = [UInt8](repeating: yuv.cb, count: chroma)
        cr = [UInt8](repeating: yuv.cr, count: chroma)
        chromaAlpha = [UInt8](repeating: 255, count: chroma)
        rowSpans = Array(repeating: 0..<width, count: height)
    }

    /// From premultiplied RGBA (rows packed).
    public init(premultipliedRGBA p: [UInt8], width: Int, height: Int) {
        self.width = width
        self.height = height
        var luma = [UInt8](repeating: 16, count: width * height)
        var alpha = [UInt8](repeating: 0, count: width * height)
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        var sumA = [Int](repeating: 0, count: cw * ch)
        var sumU = [Double](repeating: 0, count: cw * ch)
        var sumV = [Double](repeating: 0, count: cw * ch)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 4
                let a = Int(p[i + 3])
                guard a > 0 else { continue }
                // Un-premultiply, then BT.709 limited range.
                let r = Double(p[i]) * 255 / Double(a), g = Double(p[i + 1]) * 255 / Double(a), b = Double(p[i + 2]) * 255 / Double(a)
                let yv = 16 + (0.2126 * r + 0.7152 * g + 0.0722 * b) * 219 / 255
                let u = 128 + (-0.1146 * r - 0.3854 * g + 0.5 * b) * 224 / 255
                let v = 128 + (0.5 * r - 0.4542 * g - 0.0458 * b) * 224 / 255
                luma[y * width + x] = UInt8(max(16, min(235, yv.rounded())))
                alpha[y * width + x] = UInt8(a)
                let c = (y / 2) * cw + x / 2
                sumA[c] += a
                sumU[c] += u * Double(a)
                sumV[c] += v * Double(a)
            }
        }
        var cb = [UInt8](repeating: 128, count: cw * ch), cr = cb
        var chromaAlpha = [UInt8](repeating: 0, count: cw * ch)
        for c in 0..<(cw * ch) where sumA[c] > 0 {
            cb[c] = UInt8(max(16, min(240, (sumU[c] / Double(sumA[c])).rounded())))
            cr[c] = UInt8(max(16, min(240, (sumV[c] / Double(sumA[c])).rounded())))
            chromaAlpha[c] = UInt8(min(255, sumA[c] / 4))
        }
        self.luma = luma; self.alpha = alpha; self.cb = cb; self.cr = cr; self.chromaAlpha = chromaAlpha
        rowSpans = (0..<height).map { y in
            let row = alpha[(y * width)..<((y + 1) * width)]
            guard let first = row.firstIndex(where: { $0 > 0 }), let last = row.lastIndex(where: { $0 > 0 }) else { return 0..<0 }
            return (first - y * width)..<(last - y * width + 1)
        }
    }
}

extension Frame {
    /// Blends an overlay onto this yuv420p frame at (x, y) (rounded down to even so chroma
    /// lines up), scaled by `opacity` (0…1), clipped to the frame. Makes the frame's buffers
    /// its own first if they are shared (a reused canvas must not change under other frames).
    /// Throws on a frame that is not yuv420p: a caption must never vanish without a word.
    public func blend(_ o: Overlay, x: Int, y: Int, opacity: Double = 1) throws {
        try requireFormat(AV_PIX_FMT_YUV420P, "an overlay")
        guard o.width > 0, o.height > 0, opacity > 0 else { return }   // nothing to draw
        try makeWritable("the frame an overlay is blended onto")
        let f = pointer.pointee
        let fw = Int(f.width), fh = Int(f.height)
        let x0 = x & ~1, y0 = y & ~1
        let k = Int((min(1, opacity) * 256).rounded())
        guard let py = f.data.0, let pu = f.data.1, let pv = f.data.2 else {
            throw MediaError(.internalFailure, path: "", "cannot blend an overlay onto a frame without pixels")
        }
        let ly = Int(f.linesize.0), lu = Int(f.linesize.1), lv = Int(f.linesize.2)
        o.luma.withUnsafeBufferPointer { sy in
            o.alpha.withUnsafeBufferPointer { sa in
                for row in 0..<o.height {
                    let ty = y0 + row
                    guard ty >= 0, ty < fh else { continue }
                    let dst = py + ty * ly
                    let span = o.rowSpans[row]
                    let lo = max(span.lowerBound, -x0), hi = min(span.upperBound, fw - x0)
                    guard lo < hi else { continue }
                    // The vectorized kernel (reel_blend.c): alpha scaled by k, bit-exact.
                    let i = row * o.width + lo
                    reel_blend_row(dst + x0 + lo, sy.baseAddress! + i, sa.baseAddress! + i, Int32(hi - lo), Int32(k), 0)
                }
            }
        }
        let cw = o.chromaWidth, chh = o.chromaHeight
        let fcw = (fw + 1) / 2, fch = (fh + 1) / 2
        o.chromaAlpha.withUnsafeBufferPointer { ca in
            o.cb.withUnsafeBufferPointer { cb in
                o.cr.withUnsafeBufferPointer { cr in
                    for row in 0..<chh {
                        let ty = y0 / 2 + row
                        guard ty >= 0, ty < fch else { continue }
                        let du = pu + ty * lu, dv = pv + ty * lv
                        // The chroma row covers luma rows 2·row and 2·row+1.
                        let a0 = o.rowSpans[min(2 * row, o.height - 1)], a1 = o.rowSpans[min(2 * row + 1, o.height - 1)]
                        let spanLo = min(a0.isEmpty ? Int.max : a0.lowerBound, a1.isEmpty ? Int.max : a1.lowerBound) / 2
                        let spanHi = (max(a0.upperBound, a1.upperBound) + 1) / 2
                        let lo = max(spanLo, -x0 / 2), hi = min(spanHi, cw, fcw - x0 / 2)
                        guard lo < hi else { continue }
                        let i = row * cw + lo, tx = x0 / 2 + lo
                        reel_blend_row(du + tx, cb.baseAddress! + i, ca.baseAddress! + i, Int32(hi - lo), Int32(k), 0)
                        reel_blend_row(dv + tx, cr.baseAddress! + i, ca.baseAddress! + i, Int32(hi - lo), Int32(k), 0)
                    }
                }
            }
        }
    }
}
