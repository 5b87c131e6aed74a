internal import CFFmpeg
internal import CReelShims
import Foundation

extension Frame {
    /// Whether this is a yuva420p picture (a presenter prepared for blending).
    public var isYUVA420: Bool { AVPixelFormat(pointer.pointee.format) == AV_PIX_FMT_YUVA420P }

    /// Throws unless the frame is in `format`: the pixel kernels read planes by that layout.
    func requireFormat(_ format: AVPixelFormat, _ purpose: String) throws {
        guard AVPixelFormat(pointer.pointee.format) != format else { return }
        let want = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "?"
        throw MediaError(.internalFailure, path: "",
                         "\(purpose) needs a \(want) frame, not \(color.pixelFormat) (\(width)x\(height))")
    }

    /// Multiplies a yuva420p picture's alpha by `mask` (same size, 0…255): the circle or
    /// rounded-corner shape of a talking head. Makes the buffers writable first. Throws on a
    /// picture without alpha or a mask of another size (the shape would silently be lost).
    public func multiplyAlpha(by mask: [UInt8]) throws {
        try requireFormat(AV_PIX_FMT_YUVA420P, "an alpha mask")
        guard mask.count == width * height else {
            throw MediaError(.internalFailure, path: "", "alpha mask of \(mask.count) values for a \(width)x\(height) picture")
        }
        try makeWritable("the picture an alpha mask is applied to")
        guard let pa = pointer.pointee.data.3 else {
            throw MediaError(.internalFailure, path: "", "yuva420p picture without an alpha plane")
        }
        let la = Int(pointer.pointee.linesize.3)
        mask.withUnsafeBufferPointer { m in
            for y in 0..<height {
                let row = pa + y * la
                for x in 0..<width {
                    let k = Int(m[y * width + x])
                    if k == 255 { continue }
                    row[x] = UInt8((Int(row[x]) * k + 127) / 255)
                }
            }
        }
    }

    /// Blends a yuva420p picture (straight alpha, BT.709 limited range) onto this yuv420p
    /// frame at (x, y) (rounded down to even), clipped. Chroma uses the mean alpha of the
    /// 2x2 luma block it covers. Makes this frame's buffers its own first. Throws when either
    /// format is wrong: a presenter must never vanish from the picture without a word.
    public func blend(picture p: Frame, x: Int, y: Int) throws {
        try requireFormat(AV_PIX_FMT_YUV420P, "a picture")
        try p.requireFormat(AV_PIX_FMT_YUVA420P, "blending it onto a frame")
        try makeWritable("the frame a picture is blended onto")
        let d = pointer.pointee, s = p.pointer.pointee
        let x0 = x & ~1, y0 = y & ~1
        let fw = Int(d.width), fh = Int(d.height), pw = Int(s.width), ph = Int(s.height)
        let cols = max(0, -x0)..<max(0, min(pw, fw - x0))
        guard !cols.isEmpty else { return }   // entirely left or right of the frame
        guard let dy = d.data.0, let du = d.data.1, let dv = d.data.2,
              let sy = s.data.0, let su = s.data.1, let sv = s.data.2, let sa = s.data.3 else {
            throw MediaError(.internalFailure, path: "", "cannot blend a picture without pixels")
        }
        let dly = Int(d.linesize.0), dlu = Int(d.linesize.1), dlv = Int(d.linesize.2)
        let sly = Int(s.linesize.0), slu = Int(s.linesize.1), slv = Int(s.linesize.2), sla = Int(s.linesize.3)
        // Rows through the vectorized C kernels (reel_blend.c), bit-exact with the per-pixel
        // arithmetic; a 255 alpha copies the presenter's sample.
        let first = cols.lowerBound, count = cols.count
        for row in max(0, -y0)..<max(0, min(ph, fh - y0)) {
            let out: UnsafeMutablePointer<UInt8> = dy + ((y0 + row) * dly + x0 + first)
            let src: UnsafeMutablePointer<UInt8> = sy + (row * sly + first), alpha: UnsafeMutablePointer<UInt8> = sa + (row * sla + first)
            reel_blend_row(out, src, alpha, Int32(count), 256, 1)
        }
        let crows = max(0, -y0 / 2)..<max(0, min((ph + 1) / 2, (fh + 1) / 2 - y0 / 2))
        let ccols = max(0, -x0 / 2)..<max(0, min((pw + 1) / 2, (fw + 1) / 2 - x0 / 2))
        guard !ccols.isEmpty else { return }
        let cfirst = ccols.lowerBound, ccount = ccols.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ccount) { chromaAlpha in
            let ca = chromaAlpha.baseAddress!
            for row in crows {
                let a0 = sa + min(2 * row, ph - 1) * sla, a1 = sa + min(2 * row + 1, ph - 1) * sla
                reel_chroma_alpha_row(ca, a0, a1, Int32(cfirst), Int32(ccount), Int32(pw))
                let ou: UnsafeMutablePointer<UInt8> = du + ((y0 / 2 + row) * dlu + x0 / 2 + cfirst)
                let ov: UnsafeMutablePointer<UInt8> = dv + ((y0 / 2 + row) * dlv + x0 / 2 + cfirst)
                let pu: UnsafeMutablePointer<UInt8> = su + (row * slu + cfirst), pv: UnsafeMutablePointer<UInt8> = sv + (row * slv + cfirst)
                reel_blend_row(ou, pu, ca, Int32(ccount), 256, 0)
                reel_blend_row(ov, pv, ca, Int32(ccount), 256, 0)
            }
        }
    }
}
