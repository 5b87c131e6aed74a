import Foundation

/// Estimates how large the text of a screen recording is, in source pixels, so reel can
/// say how large it will be on the phone (and warn when it will not be readable).
///
/// Method: in full-resolution grayscale frames, a row crosses text when it holds several
/// strong horizontal steps (stroke edges). Consecutive such rows form one line's ink band,
/// from the top of its ascenders to the bottom of its descenders. The median band height
/// over many lines, less the anti-aliased fringe and divided by the share of the em box that
/// a line's ink covers, is the font size. Ink bands are used rather than the line pitch because pitch includes the
/// page's line spacing (1.2–1.6 em, and paragraph gaps), which varies far more between sites
/// than a font's ink extent does (about 0.9–1.0 em for Latin with ascenders and descenders,
/// 0.9 for Han).
public enum TextSizeEstimator {
    /// Ink band height ≈ `inkPerEm` × font size + `antialiasRows`: fitted on pages drawn by
    /// ffmpeg's drawtext at 12, 24 and 36 px (Noto Sans Latin ≈ 0.99 em, DejaVu Sans Mono ≈ 0.92 em;
    /// the faint anti-aliased rows above and below add ~1.5 px at any size).
    static let inkPerEm = 0.96
    static let antialiasRows = 1.5
    /// A luma step at least this large is a stroke edge (anti-aliased 9 px text still has them).
    static let edgeThreshold: Int16 = 40
    /// A row crosses a text line when it has at least this many edges (a few letters' stems)…
    static let minEdgesPerRow = 4
    /// …and lines need this many bands before a median means anything.
    static let minBands = 3

    /// The font size in source pixels of the text inside `region` of `frames` (upright,
    /// square-pixel luma at display size), or nil when too few text lines are found.
    public static func fontSize(frames: [GrayImage], region: PixelRect) -> Double? {
        var heights: [Int] = []
        for frame in frames {
            let x0 = max(0, region.x), x1 = min(frame.width, region.x + region.width)
            let y0 = max(0, region.y), y1 = min(frame.height, region.y + region.height)
            guard x1 - x0 >= 8, y1 - y0 >= 8 else { continue }
            var textRow = [Bool](repeating: false, count: y1 - y0)
            frame.pixels.withUnsafeBufferPointer { px in
                for y in y0..<y1 {
                    var edges = 0
                    var row = y * frame.width + x0
                    var previous = Int16(px[row])
                    for _ in (x0 + 1)..<x1 {
                        row += 1
                        let v = Int16(px[row])
                        if abs(v - previous) >= edgeThreshold { edges += 1 }
                        previous = v
                    }
                    textRow[y - y0] = edges >= minEdgesPerRow
                }
            }
            heights += bands(textRow)
        }
        guard heights.count >= minBands else { return nil }
        heights.sort()
        return max(1, Double(heights[heights.count / 2]) - antialiasRows) / inkPerEm
    }

    /// Heights of the runs of text rows, bridging one-row gaps (the dot of an i, a thin
    /// serif row); bands too thin to be text (rules, underlines) or taller than a quarter of
    /// the region (pictures, not lines) are dropped.
    static func bands(_ rows: [Bool]) -> [Int] {
        var out: [Int] = []
        var start: Int? = nil
        var gap = 0
        for (y, hit) in rows.enumerated() {
            if hit {
                if start == nil { start = y }
                gap = 0
            } else if let s = start {
                gap += 1
                if gap > 1 { out.append(y - gap + 1 - s); start = nil; gap = 0 }
            }
        }
        if let s = start { out.append(rows.count - gap - s) }
        return out.filter { $0 >= 4 && $0 * 4 <= rows.count }
    }
}
