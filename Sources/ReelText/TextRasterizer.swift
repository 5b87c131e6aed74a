internal import CText
import Foundation

/// A rasterized block of text: premultiplied RGBA, rows packed.
public struct TextImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    /// Transparent margin around the text itself (room for outline and shadow).
    public var padding: Int
    public init(width: Int, height: Int, pixels: [UInt8], padding: Int = 0) {
        self.width = width; self.height = height; self.pixels = pixels; self.padding = padding
    }
    public static let empty = TextImage(width: 0, height: 0, pixels: [])

    /// Stacks blocks vertically, centred, `gap` pixels apart measured between the texts
    /// (their shadow margins overlap and are composited, premultiplied "over").
    public static func stacked(_ images: [TextImage], gap: Int) -> TextImage {
        let parts = images.filter { $0.width > 0 && $0.height > 0 }
        guard let first = parts.first else { return .empty }
        let w = parts.map(\.width).max()!
        var tops: [Int] = [0]
        for (a, b) in zip(parts, parts.dropFirst()) {
            tops.append(tops.last! + a.height - a.padding - b.padding + gap)
        }
        let h = max(zip(parts, tops).map { $0.height + $1 }.max()!, 1)
        var out = [UInt8](repeating: 0, count: w * h * 4)
        for (p, y0) in zip(parts, tops) {
            let x0 = (w - p.width) / 2
            for row in 0..<p.height where y0 + row >= 0 && y0 + row < h {
                for col in 0..<p.width {
                    let s = (row * p.width + col) * 4, d = ((y0 + row) * w + x0 + col) * 4
                    let k = 255 - Int(p.pixels[s + 3])
                    for c in 0..<4 { out[d + c] = UInt8(min(255, Int(p.pixels[s + c]) + (Int(out[d + c]) * k + 127) / 255)) }
                }
            }
        }
        return TextImage(width: w, height: h, pixels: out, padding: first.padding)
    }
}

/// Shapes (HarfBuzz) and rasterizes (FreeType, with stroker outline and a soft shadow) text
/// into premultiplied RGBA. Characters the chosen font lacks come from a fontconfig fallback
/// face; characters no installed font has are collected in `missingCharacters`.
/// One instance per thread: FreeType faces are not thread-safe.
public final class TextRasterizer {
    private let fonts: FontLibrary
    public private(set) var missingCharacters: Set<Character> = []
    /// Font files actually used (for golden headers and reports).
    public private(set) var usedFonts: Set<String> = []

    public init() throws { fonts = try FontLibrary() }

    /// FreeType and HarfBuzz versions (golden hash headers name them).
    public var libraryVersions: String {
        var major: FT_Int = 0, minor: FT_Int = 0, patch: FT_Int = 0
        FT_Library_Version(fonts.library, &major, &minor, &patch)
        return "FreeType \(major).\(minor).\(patch), HarfBuzz \(String(cString: hb_version_string()))"
    }

    /// The family and file of the face a name resolves to (e.g. "Noto Sans CJK SC").
    public func resolve(_ font: String) throws -> (family: String, path: String) {
        let face = try fonts.face(named: font)
        return (face.familyName, face.path)
    }

    /// Whether every character of `text` has a real glyph in `font` or a fallback face.
    public func missing(in text: String, font: String) throws -> [Character] {
        let primary = try fonts.face(named: font)
        return text.filter { c in
            !c.isWhitespace && c.unicodeScalars.contains { s in
                !isInvisible(s) && !primary.hasGlyph(s) && fonts.fallback(for: s, family: primary.familyName) == nil
            }
        }
    }

    /// Advance width in pixels of `text` in `style` (what the line breaker measures).
    public func measure(_ text: String, style: TextStyle) -> Double {
        guard let primary = try? fonts.face(named: style.font) else { return Double(text.count * style.size) }
        var width = 0.0
        for run in faceRuns(text, primary: primary) {
            run.face.setPixelSize(style.size)
            width += shape(run.text, face: run.face).reduce(0) { $0 + $1.advance }
        }
        return width
    }

    /// Rasterizes lines (each a list of runs), centred on each other, in one image.
    public func render(lines: [[TextRun]], style: TextStyle) throws -> TextImage {
        let primary = try fonts.face(named: style.font)
        primary.setPixelSize(style.size)
        let ascender = primary.ascender, descender = primary.descender
        let lineHeight = Double(style.size) * style.lineSpacing
        let outline = max(0, style.outlineWidth)
        let pad = Int(ceil(outline)) + style.shadowBlur * 2 + max(abs(style.shadowOffset.x), abs(style.shadowOffset.y)) + 2

        // Shape every line first to know the block's size.
        struct Placed { var face: FontFace; var glyph: UInt32; var x: Double; var y: Double; var emphasized: Bool }
        var placedLines: [(glyphs: [Placed], width: Double)] = []
        for line in lines {
            var pen = 0.0
            var glyphs: [Placed] = []
            for run in line {
                for fr in faceRuns(run.text, primary: primary) {
                    fr.face.setPixelSize(style.size)
                    for g in shape(fr.text, face: fr.face) {
                        glyphs.append(Placed(face: fr.face, glyph: g.glyph, x: pen + g.xOffset, y: g.yOffset, emphasized: run.emphasized))
                        pen += g.advance
                    }
                    usedFonts.insert(fr.face.path)
                }
            }
            placedLines.append((glyphs, pen))
        }
        let textWidth = Int(ceil(placedLines.map(\.width).max() ?? 0))
        let textHeight = Int(ceil(lineHeight * Double(max(lines.count - 1, 0)) + ascender + descender))
        let width = textWidth + 2 * pad, height = textHeight + 2 * pad
        guard textWidth > 0, lines.count > 0 else { return .empty }

        var fill = [UInt8](repeating: 0, count: width * height)
        var emphasis = [UInt8](repeating: 0, count: width * height)
        var stroke = [UInt8](repeating: 0, count: width * height)
        var color = [UInt8](repeating: 0, count: width * height * 4)   // premultiplied RGBA of colour glyphs
        var stroker: OpaquePointer? = nil
        if outline > 0 {
            FT_Stroker_New(fonts.library, &stroker)
            FT_Stroker_Set(stroker, FT_Fixed(outline * 64), FT_STROKER_LINECAP_ROUND, FT_STROKER_LINEJOIN_ROUND, 0)
        }
        defer { if let stroker { FT_Stroker_Done(stroker) } }

        for (i, line) in placedLines.enumerated() {
            let baseline = Double(pad) + ascender + lineHeight * Double(i)
            let left = Double(pad) + (Double(textWidth) - line.width) / 2
            for g in line.glyphs {
                g.face.setPixelSize(style.size)
                if g.face.isColorBitmap {
                    drawColorGlyph(g.face, g.glyph, into: &color, width: width, height: height,
                                   x: left + g.x, baseline: baseline - g.y)
                    continue
                }
                guard FT_Load_Glyph(g.face.face, g.glyph, FT_Int32(FT_LOAD_NO_BITMAP)) == 0 else { continue }
                var glyph: FT_Glyph? = nil
                guard FT_Get_Glyph(g.face.face.pointee.glyph, &glyph) == 0, let base = glyph else { continue }
                defer { FT_Done_Glyph(base) }
                let ox = left + g.x, oy = baseline - g.y
                if let stroker {
                    var copy: FT_Glyph? = nil
                    if FT_Glyph_Copy(base, &copy) == 0 {
                        if FT_Glyph_StrokeBorder(&copy, stroker, 0, 1) == 0 {
                            blit(&copy, into: &stroke, width: width, height: height, x: ox, y: oy)
                        }
                        if let c = copy { FT_Done_Glyph(c) }
                    }
                }
                var copy: FT_Glyph? = nil
                if FT_Glyph_Copy(base, &copy) == 0 {
                    if g.emphasized { blit(&copy, into: &emphasis, width: width, height: height, x: ox, y: oy) }
                    else { blit(&copy, into: &fill, width: width, height: height, x: ox, y: oy) }
                    if let c = copy { FT_Done_Glyph(c) }
                }
            }
        }
        return composite(width: width, height: height, fill: fill, emphasis: emphasis, stroke: stroke, color: color,
                         style: style, padding: pad)
    }

    // MARK: - Shaping

    struct ShapedGlyph { var glyph: UInt32; var advance: Double; var xOffset: Double; var yOffset: Double }

    private func shape(_ text: String, face: FontFace) -> [ShapedGlyph] {
        guard let buffer = hb_buffer_create() else { return [] }
        defer { hb_buffer_destroy(buffer) }
        let utf8 = Array(text.utf8)
        utf8.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { hb_buffer_add_utf8(buffer, $0.baseAddress, Int32(utf8.count), 0, Int32(utf8.count)) }
        }
        hb_buffer_guess_segment_properties(buffer)
        hb_shape(face.hbFont, buffer, nil, 0)
        var count: UInt32 = 0
        guard let infos = hb_buffer_get_glyph_infos(buffer, &count), let positions = hb_buffer_get_glyph_positions(buffer, &count) else { return [] }
        let k = face.isColorBitmap ? face.bitmapScale : 1
        return (0..<Int(count)).map { i in
            ShapedGlyph(glyph: infos[i].codepoint, advance: Double(positions[i].x_advance) / 64 * k,
                        xOffset: Double(positions[i].x_offset) / 64 * k, yOffset: Double(positions[i].y_offset) / 64 * k)
        }
    }

    /// Splits text into runs each drawn by one face: the primary where it has the glyphs,
    /// otherwise a fallback found by fontconfig for that character.
    private func faceRuns(_ text: String, primary: FontFace) -> [(text: String, face: FontFace)] {
        var runs: [(text: String, face: FontFace)] = []
        for c in text {
            var face = primary
            if let lacking = c.unicodeScalars.first(where: { !isInvisible($0) && !primary.hasGlyph($0) }) {
                if let fb = fonts.fallback(for: lacking, family: primary.familyName) { face = fb }
                else if !c.isWhitespace { missingCharacters.insert(c) }
            }
            if let last = runs.last, last.face === face { runs[runs.count - 1].text.append(c) }
            else { runs.append((String(c), face)) }
        }
        return runs
    }

    /// Joiners and variation selectors have no glyph of their own.
    private func isInvisible(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x200D || (0xFE00...0xFE0F).contains(s.value) || (0xE0100...0xE01EF).contains(s.value) || s.value == 0x200B
    }

    // MARK: - Raster

    /// Renders a glyph to an 8-bit coverage bitmap and max-combines it into `mask`.
    private func blit(_ glyph: inout FT_Glyph?, into mask: inout [UInt8], width: Int, height: Int, x: Double, y: Double) {
        var origin = FT_Vector(x: FT_Pos((x - floor(x)) * 64), y: FT_Pos((floor(y) - y) * 64))
        guard FT_Glyph_To_Bitmap(&glyph, FT_RENDER_MODE_NORMAL, &origin, 1) == 0, let g = glyph else { return }
        let bg = UnsafeMutableRawPointer(g).assumingMemoryBound(to: FT_BitmapGlyphRec.self)
        let bitmap = bg.pointee.bitmap
        guard let buffer = bitmap.buffer else { return }
        let x0 = Int(floor(x)) + Int(bg.pointee.left), y0 = Int(floor(y)) - Int(bg.pointee.top)
        for row in 0..<Int(bitmap.rows) {
            let ty = y0 + row
            guard ty >= 0, ty < height else { continue }
            let src = buffer + row * Int(bitmap.pitch)
            for col in 0..<Int(bitmap.width) {
                let tx = x0 + col
                guard tx >= 0, tx < width else { continue }
                let v = src[col]
                if v > mask[ty * width + tx] { mask[ty * width + tx] = v }
            }
        }
    }

    /// shadow (blurred union of stroke and fill) under stroke under fill, premultiplied.
    /// Draws a colour bitmap glyph (BGRA, premultiplied) scaled from its strike to the text size.
    private func drawColorGlyph(_ face: FontFace, _ glyph: UInt32, into layer: inout [UInt8], width: Int, height: Int, x: Double, baseline: Double) {
        guard FT_Load_Glyph(face.face, glyph, FT_Int32(FT_LOAD_COLOR)) == 0 else { return }
        let slot = face.face.pointee.glyph!
        let bitmap = slot.pointee.bitmap
        guard bitmap.pixel_mode == UInt8(FT_PIXEL_MODE_BGRA.rawValue), let buffer = bitmap.buffer, bitmap.width > 0 else { return }
        let k = face.bitmapScale
        let dw = max(1, Int((Double(bitmap.width) * k).rounded())), dh = max(1, Int((Double(bitmap.rows) * k).rounded()))
        let x0 = Int((x + Double(slot.pointee.bitmap_left) * k).rounded())
        let y0 = Int((baseline - Double(slot.pointee.bitmap_top) * k).rounded())
        for dy in 0..<dh {
            let ty = y0 + dy
            guard ty >= 0, ty < height else { continue }
            // Box-filter the source pixels that fall into this destination pixel.
            let sy0 = Int(Double(dy) / k), sy1 = max(sy0 + 1, min(Int(bitmap.rows), Int(Double(dy + 1) / k)))
            for dx in 0..<dw {
                let tx = x0 + dx
                guard tx >= 0, tx < width else { continue }
                let sx0 = Int(Double(dx) / k), sx1 = max(sx0 + 1, min(Int(bitmap.width), Int(Double(dx + 1) / k)))
                var b = 0, g = 0, r = 0, a = 0, n = 0
                for sy in sy0..<min(sy1, Int(bitmap.rows)) {
                    let row = buffer + sy * Int(bitmap.pitch)
                    for sx in sx0..<min(sx1, Int(bitmap.width)) {
                        b += Int(row[sx * 4]); g += Int(row[sx * 4 + 1]); r += Int(row[sx * 4 + 2]); a += Int(row[sx * 4 + 3]); n += 1
                    }
                }
                guard n > 0 else { continue }
                let i = (ty * width + tx) * 4
                layer[i] = UInt8(r / n); layer[i + 1] = UInt8(g / n); layer[i + 2] = UInt8(b / n); layer[i + 3] = UInt8(a / n)
            }
        }
    }

    private func composite(width: Int, height: Int, fill: [UInt8], emphasis: [UInt8], stroke: [UInt8], color: [UInt8],
                           style: TextStyle, padding: Int) -> TextImage {
        var out = [Float](repeating: 0, count: width * height * 4)
        func over(_ mask: [UInt8], _ color: RGBA, dx: Int = 0, dy: Int = 0) {
            let ca = Float(color.a) / 255
            let cr = Float(color.r) * ca, cg = Float(color.g) * ca, cb = Float(color.b) * ca
            for y in 0..<height {
                let sy = y - dy
                guard sy >= 0, sy < height else { continue }
                for x in 0..<width {
                    let sx = x - dx
                    guard sx >= 0, sx < width else { continue }
                    let m = Float(mask[sy * width + sx]) / 255
                    if m == 0 { continue }
                    let a = m * ca, i = (y * width + x) * 4
                    let k = 1 - a
                    out[i] = cr * m + out[i] * k
                    out[i + 1] = cg * m + out[i + 1] * k
                    out[i + 2] = cb * m + out[i + 2] * k
                    out[i + 3] = a * 255 + out[i + 3] * k
                }
            }
        }
        if style.shadowColor.a > 0 {
            var union = [UInt8](repeating: 0, count: width * height)
            for i in 0..<union.count { union[i] = max(fill[i], emphasis[i], stroke[i], color[i * 4 + 3]) }
            if style.shadowBlur > 0 { boxBlur(&union, width: width, height: height, radius: style.shadowBlur, passes: 3) }
            over(union, style.shadowColor, dx: style.shadowOffset.x, dy: style.shadowOffset.y)
        }
        if style.outlineWidth > 0 { over(stroke, style.outlineColor) }
        over(fill, style.color)
        over(emphasis, style.emphasisColor)
        for i in stride(from: 0, to: color.count, by: 4) where color[i + 3] > 0 {
            let k = 1 - Float(color[i + 3]) / 255
            for c in 0..<4 { out[i + c] = Float(color[i + c]) + out[i + c] * k }
        }
        return TextImage(width: width, height: height, pixels: out.map { UInt8(max(0, min(255, $0.rounded()))) },
                         padding: padding)
    }

    /// Separable box blur repeated `passes` times (≈ Gaussian) on an alpha mask.
    private func boxBlur(_ mask: inout [UInt8], width: Int, height: Int, radius: Int, passes: Int) {
        var a = mask.map { Int($0) }
        var b = a
        let span = 2 * radius + 1
        for _ in 0..<passes {
            for y in 0..<height {
                var sum = 0
                for x in -radius...radius { sum += a[y * width + min(max(x, 0), width - 1)] }
                for x in 0..<width {
                    b[y * width + x] = sum / span
                    sum += a[y * width + min(x + radius + 1, width - 1)] - a[y * width + max(x - radius, 0)]
                }
            }
            for x in 0..<width {
                var sum = 0
                for y in -radius...radius { sum += b[min(max(y, 0), height - 1) * width + x] }
                for y in 0..<height {
                    a[y * width + x] = sum / span
                    sum += b[min(y + radius + 1, height - 1) * width + x] - b[max(y - radius, 0) * width + x]
                }
            }
        }
        mask = a.map { UInt8(min(255, $0)) }
    }
}

extension TextImage {
    /// The text over a rounded, translucent box that extends `margin` pixels beyond the
    /// text itself (the shadow padding is inside the box), for legibility over busy pictures.
    public func onBox(color: RGBA, margin: Int, radius: Int) -> TextImage {
        guard width > 0 else { return self }
        let inset = max(0, padding - margin)   // box edge, from the image edge
        let extra = max(0, margin - padding)   // growth needed when the margin exceeds the padding
        let w = width + 2 * extra, h = height + 2 * extra
        var out = [UInt8](repeating: 0, count: w * h * 4)
        let bx0 = inset, by0 = inset, bx1 = w - inset, by1 = h - inset
        let r = Double(max(0, min(radius, (bx1 - bx0) / 2, (by1 - by0) / 2)))
        let ca = Double(color.a) / 255
        for y in by0..<by1 {
            for x in bx0..<bx1 {
                // Coverage of the rounded corner, antialiased over one pixel.
                let cx = min(max(Double(x) + 0.5, Double(bx0) + r), Double(bx1) - r)
                let cy = min(max(Double(y) + 0.5, Double(by0) + r), Double(by1) - r)
                let d = ((Double(x) + 0.5 - cx) * (Double(x) + 0.5 - cx) + (Double(y) + 0.5 - cy) * (Double(y) + 0.5 - cy)).squareRoot()
                let cover = max(0, min(1, r + 0.5 - d))
                let a = ca * cover
                let i = (y * w + x) * 4
                out[i] = UInt8((Double(color.r) * a).rounded()); out[i + 1] = UInt8((Double(color.g) * a).rounded())
                out[i + 2] = UInt8((Double(color.b) * a).rounded()); out[i + 3] = UInt8((255 * a).rounded())
            }
        }
        for row in 0..<height {
            for col in 0..<width {
                let s = (row * width + col) * 4, d = ((row + extra) * w + col + extra) * 4
                let k = 255 - Int(pixels[s + 3])
                for c in 0..<4 { out[d + c] = UInt8(min(255, Int(pixels[s + c]) + (Int(out[d + c]) * k + 127) / 255)) }
            }
        }
        return TextImage(width: w, height: h, pixels: out, padding: padding + extra)
    }
}
