import Foundation

/// Finds the part of a screen recording worth featuring on a portrait canvas:
/// the live content column of a web page (e.g. the post column of X/Twitter),
/// without browser chrome and side bars, as one rectangle steady over the
/// whole video.
///
/// Everything works on a handful of small grayscale samples and costs
/// O(pixels × samples): one pass gathers per-pixel statistics, the rest works
/// on per-column / per-row profiles.
public struct ContentRegionDetector: Sendable {
    /// Width / height of the panel the crop will fill.
    public let targetAspect: Double

    /// `targetAspect`: width/height of the panel the crop will fill (e.g.
    /// 1080/1220). The returned rect is never taller than
    /// `width / targetAspect`; a non-finite or non-positive value disables
    /// that cap.
    public init(targetAspect: Double) {
        self.targetAspect = targetAspect
    }

    /// One line explaining how `--crop auto` decides, for `--help`.
    public static let explanation: String =
        "auto: finds the column where the picture changes over time (scrolling content), "
        + "falling back to the densest column of steady text edges for still recordings; "
        + "snaps to thin vertical separator lines, skips a browser-chrome band at the top "
        + "and keeps one rectangle for the whole video, clipped to the panel's aspect "
        + "from the top of the activity down (where a scrolled page is read, and where it rests at its end)."

    /// What the detector featured, for the summary line.
    public static let summary = "the content column (where the picture changes, or the densest steady text), without browser chrome and side bars"

    // MARK: - Tuning

    /// Thresholds, all in 8-bit luma levels or fractions of the sample size
    /// so they behave the same for any downscale.
    enum Tuning {
        /// A pixel "changed" between two samples when |diff| exceeds this;
        /// well above H.264 noise and cursor antialiasing, well below text contrast.
        static let changeThreshold = 16
        /// A horizontal neighbour difference at least this large is a text
        /// stroke edge (text is high-contrast; gradients and shadows are not).
        static let edgeThreshold = 24
        /// Minimum contrast (luma levels, on the mean image) of a thin line
        /// against its neighbours. A 1 px grey border downscaled 4× keeps only a
        /// quarter of its contrast, so this must be small; averaging over the
        /// samples keeps noise well below it.
        static let lineContrast: Int32 = 3
        /// A separator must span at least this fraction of the rows below the
        /// chrome: page column borders run the full viewport height, while
        /// in-content lines (thread connectors, quote bars, card edges) are short.
        static let separatorMinSpan = 0.5
        /// …and be present on at least this fraction of the rows of its run
        /// (rejects ridges that appear by chance in noise or smeared text).
        static let separatorMinDensity = 0.85
        /// Chrome is searched for in the top quarter of the frame only.
        static let chromeSearchFraction = 0.25
        /// A row boundary is a chrome edge when this fraction of the columns
        /// step the same way (a band of a different colour, or a 1 px line).
        static let chromeEdgeFraction = 0.6
        /// Temporal mode needs this fraction of the (non-chrome) pixels to be
        /// active, else the recording counts as still.
        static let minActiveFraction = 0.002
        /// Column profile threshold, relative to the profile's peak.
        static let bandThreshold = 0.08
        /// Gaps narrower than this (fraction of width) inside a band are
        /// bridged: short lines of left-aligned text, gutters between words.
        static let bandGapFraction = 0.03
        /// Margin added on each side of the band (fraction of width)…
        static let marginFraction = 0.02
        /// …unless a separator lies within this distance, then the edge snaps to it.
        static let snapFraction = 0.06
        /// Fraction of the row-activity mass trimmed at each end (outliers
        /// such as a stray cursor).
        static let rowTrim = 0.01
    }

    // MARK: - Detection

    /// `samples`: grayscale frames sampled evenly across the video, all the
    /// same size (samples whose size differs from the first one are ignored).
    /// `frameWidth`/`frameHeight`: the real frame size the result is expressed
    /// in. Returns nil when nothing content-like is found (the caller then
    /// uses the full frame). The result is even-aligned, inside the frame and
    /// at least 1/5 of the frame wide.
    public func detect(samples: [GrayImage], frameWidth: Int, frameHeight: Int) -> PixelRect? {
        guard frameWidth > 0, frameHeight > 0,
              let first = samples.first(where: { $0.width >= 8 && $0.height >= 8 && $0.pixels.count == $0.width * $0.height })
        else { return nil }
        let w = first.width, h = first.height
        let frames = samples.filter { $0.width == w && $0.height == h && $0.pixels.count == w * h }
        let stats = Stats(frames)

        // Chrome and separators come from the mean picture: they are static,
        // so averaging keeps them crisp while scrolling content smears out.
        let chromeBottom = stats.chromeBottom()
        let firstRow = chromeBottom + 1
        guard firstRow < h - 1 else { return nil }
        let separators = stats.separators(firstRow: firstRow)

        // 1. Temporal cue: the column where pixels keep changing is the live one;
        //    chrome and sticky side bars do not change.
        if stats.count >= 2 {
            let minPairs: Int32 = stats.count >= 3 ? 2 : 1
            let (weights, active) = stats.denoised(stats.changes, minCount: minPairs, firstRow: firstRow)
            let minActive = max(16, Int(Double(w * (h - firstRow)) * Tuning.minActiveFraction))
            if active >= minActive,
               let region = locate(weights: weights, w: w, h: h, firstRow: firstRow, separators: separators),
               let rect = toFrame(region, w: w, h: h, frameWidth: frameWidth, frameHeight: frameHeight) {
                return rect
            }
        }

        // 2. Spatial cue: steady text edges. Require the edge in at least half
        //    the samples so a brief overlay does not count.
        let minEdges = Int32(max(1, (stats.count + 1) / 2))
        let (weights, active) = stats.denoised(stats.edges, minCount: minEdges, firstRow: firstRow)
        guard active > 0,
              let region = locate(weights: weights, w: w, h: h, firstRow: firstRow, separators: separators)
        else { return nil }
        return toFrame(region, w: w, h: h, frameWidth: frameWidth, frameHeight: frameHeight)
    }

    /// A region in sample coordinates (inclusive bounds).
    struct SampleRegion: Equatable {
        var left: Int, right: Int, top: Int, bottom: Int
    }

    /// Picks the dominant column band of `weights` (rows `firstRow...` only),
    /// bounded by separators, then its vertical extent.
    func locate(weights: [Int32], w: Int, h: Int, firstRow: Int, separators: [ClosedRange<Int>]) -> SampleRegion? {
        // Column profile; separator lines and their immediate neighbours are
        // not content (a line's own edges would otherwise look like text).
        var blocked = [Bool](repeating: false, count: w)
        for s in separators {
            for x in max(0, s.lowerBound - 1)...min(w - 1, s.upperBound + 1) { blocked[x] = true }
        }
        var profile = [Int](repeating: 0, count: w)
        weights.withUnsafeBufferPointer { wt in
            for y in firstRow..<h {
                let row = y * w
                for x in 0..<w where wt[row + x] != 0 { profile[x] += Int(wt[row + x]) }
            }
        }
        for x in 0..<w where blocked[x] { profile[x] = 0 }

        // Segments between separators: a band never crosses a separator, so
        // the post column cannot merge with a side bar next to it.
        struct Segment { var lo: Int, hi: Int, leftSep: Int?, rightSep: Int? }
        var segments: [Segment] = []
        var x = 0
        while x < w {
            if blocked[x] { x += 1; continue }
            let lo = x
            while x < w && !blocked[x] { x += 1 }
            let hi = x - 1
            let leftSep = separators.last(where: { $0.upperBound < lo })?.upperBound
            let rightSep = separators.first(where: { $0.lowerBound > hi })?.lowerBound
            segments.append(Segment(lo: lo, hi: hi, leftSep: leftSep, rightSep: rightSep))
        }

        // Box-smoothed profile (fills gaps between glyphs and words).
        let radius = max(1, w / 160)
        var prefix = [Int](repeating: 0, count: w + 1)
        for i in 0..<w { prefix[i + 1] = prefix[i] + profile[i] }
        var smooth = [Int](repeating: 0, count: w)
        var peak = 0
        for seg in segments {
            for i in seg.lo...seg.hi {
                let a = max(seg.lo, i - radius), b = min(seg.hi, i + radius)
                smooth[i] = prefix[b + 1] - prefix[a]
                peak = max(peak, smooth[i])
            }
        }
        guard peak > 0 else { return nil }
        let threshold = max(1, Int(Double(peak) * Tuning.bandThreshold))
        let maxGap = max(2, Int(Double(w) * Tuning.bandGapFraction))

        // Dominant band: runs above threshold, merged across small gaps, the
        // one with the most activity wins (leftmost on a tie, for determinism).
        var best: (lo: Int, hi: Int, mass: Int, seg: Segment)?
        for seg in segments {
            var runs: [(lo: Int, hi: Int)] = []
            var i = seg.lo
            while i <= seg.hi {
                if smooth[i] < threshold { i += 1; continue }
                let lo = i
                while i <= seg.hi && smooth[i] >= threshold { i += 1 }
                if let last = runs.last, lo - last.hi - 1 <= maxGap {
                    runs[runs.count - 1].hi = i - 1
                } else {
                    runs.append((lo, i - 1))
                }
            }
            for r in runs {
                let mass = prefix[r.hi + 1] - prefix[r.lo]
                if mass > (best?.mass ?? 0) { best = (r.lo, r.hi, mass, seg) }
            }
        }
        guard let band = best else { return nil }

        // Column bounds: a small margin, but snap to (and stop at) an adjacent
        // separator so the crop edge is the page's own column border.
        let margin = max(1, Int(Double(w) * Tuning.marginFraction))
        let snap = max(2, Int(Double(w) * Tuning.snapFraction))
        var left = max(0, band.lo - margin)
        var right = min(w - 1, band.hi + margin)
        if let s = band.seg.leftSep {
            let inside = s + 1   // first column after the line
            if band.lo - inside <= snap { left = inside } else { left = max(left, inside) }
        }
        if let s = band.seg.rightSep {
            let inside = s - 1
            if inside - band.hi <= snap { right = inside } else { right = min(right, inside) }
        }
        guard right > left else { return nil }

        // Vertical extent: rows with activity inside the chosen columns,
        // trimming a little mass at each end (stray specks), plus a small pad.
        var rows = [Int](repeating: 0, count: h)
        var total = 0
        weights.withUnsafeBufferPointer { wt in
            for y in firstRow..<h {
                let row = y * w
                var s = 0
                for c in left...right where !blocked[c] { s += Int(wt[row + c]) }
                rows[y] = s
                total += s
            }
        }
        guard total > 0 else { return nil }
        let cut = Double(total) * Tuning.rowTrim
        var top = firstRow, acc = 0
        for y in firstRow..<h { acc += rows[y]; if Double(acc) > cut { top = y; break } }
        var bottom = h - 1
        acc = 0
        for y in stride(from: h - 1, through: firstRow, by: -1) { acc += rows[y]; if Double(acc) > cut { bottom = y; break } }
        let pad = max(1, h / 100)
        top = max(firstRow, top - pad)
        bottom = min(h - 1, bottom + pad)
        guard bottom > top else { return nil }
        return SampleRegion(left: left, right: right, top: top, bottom: bottom)
    }

    /// Scales a sample-space region to the frame, caps its height at
    /// `width / targetAspect` from the region's top down, and even-aligns it
    /// inside the frame (encoders want even crops for 4:2:0 chroma).
    ///
    /// Why the top and not the centre of activity: on a scrolled page the line being read
    /// sits in the upper part of the screen (new text comes in from below), and when the
    /// page reaches its end its last lines rest at the top: a centred window shows an empty
    /// page from then on (a third of the example recording).
    func toFrame(_ r: SampleRegion, w: Int, h: Int, frameWidth: Int, frameHeight: Int) -> PixelRect? {
        let sx = Double(frameWidth) / Double(w)
        let sy = Double(frameHeight) / Double(h)
        var x0 = Int((Double(r.left) * sx).rounded(.down))
        let x1 = min(frameWidth, Int((Double(r.right + 1) * sx).rounded(.up)))
        var y0 = Int((Double(r.top) * sy).rounded(.down))
        let y1 = min(frameHeight, Int((Double(r.bottom + 1) * sy).rounded(.up)))
        x0 -= x0 % 2
        var width = x1 - x0
        width -= width % 2
        guard width > 0, width * 5 >= frameWidth else { return nil }

        var height = y1 - y0
        if targetAspect.isFinite, targetAspect > 0 {
            var maxHeight = Int((Double(width) / targetAspect).rounded(.down))
            maxHeight -= maxHeight % 2
            if height > maxHeight { height = maxHeight }
        }
        y0 -= y0 % 2
        height = min(height, frameHeight - y0)
        height -= height % 2
        guard height >= 2 else { return nil }
        return PixelRect(x: x0, y: y0, width: width, height: height)
    }
}

// MARK: - Per-pixel statistics

extension ContentRegionDetector {
    /// Everything the detector needs from the samples, gathered in one pass:
    /// the per-pixel sum (mean picture), how many consecutive sample pairs
    /// changed each pixel, and in how many samples each pixel is a text edge.
    struct Stats {
        let width: Int
        let height: Int
        let count: Int
        var sum: [Int32]
        var changes: [Int32]
        var edges: [Int32]

        init(_ frames: [GrayImage]) {
            let w = frames[0].width, h = frames[0].height, n = frames.count, total = w * h
            width = w; height = h; count = n
            var sum = [Int32](repeating: 0, count: total)
            var changes = [Int32](repeating: 0, count: total)
            var edges = [Int32](repeating: 0, count: total)
            let changeT = Int32(Tuning.changeThreshold), edgeT = Int32(Tuning.edgeThreshold)
            sum.withUnsafeMutableBufferPointer { sBuf in
                changes.withUnsafeMutableBufferPointer { cBuf in
                    edges.withUnsafeMutableBufferPointer { eBuf in
                        let s = sBuf.baseAddress!, c = cBuf.baseAddress!, e = eBuf.baseAddress!
                        for i in 0..<n {
                            frames[i].pixels.withUnsafeBufferPointer { curBuf in
                                let cur = curBuf.baseAddress!
                                for p in 0..<total { s[p] &+= Int32(cur[p]) }
                                for y in 0..<h {
                                    let row = y * w
                                    for x in row..<(row + w - 1) {
                                        let d = Int32(cur[x + 1]) &- Int32(cur[x])
                                        e[x] &+= (d >= edgeT || d <= -edgeT) ? 1 : 0
                                    }
                                }
                                guard i > 0 else { return }
                                frames[i - 1].pixels.withUnsafeBufferPointer { prevBuf in
                                    let prev = prevBuf.baseAddress!
                                    for p in 0..<total {
                                        let d = Int32(cur[p]) &- Int32(prev[p])
                                        c[p] &+= (d > changeT || d < -changeT) ? 1 : 0
                                    }
                                }
                            }
                        }
                    }
                }
            }
            self.sum = sum
            self.changes = changes
            self.edges = edges
        }

        /// Last row of a browser-chrome band at the top, or -1 when none: the
        /// lowest row boundary in the top quarter where most columns step the
        /// same way (the chrome's own background colour ending, or its 1 px
        /// bottom border). Text and noise step both ways and only in places.
        func chromeBottom() -> Int {
            let w = width
            let t = Tuning.lineContrast * Int32(count)
            let need = Int(Double(w) * Tuning.chromeEdgeFraction)
            let limit = min(Int(Double(height) * Tuning.chromeSearchFraction), height - 1)
            var bottom = -1
            sum.withUnsafeBufferPointer { s in
                for y in 0..<max(0, limit) {
                    var up = 0, down = 0
                    let a = y * w, b = (y + 1) * w
                    for x in 0..<w {
                        let d = s[b + x] - s[a + x]
                        if d >= t { up += 1 } else if d <= -t { down += 1 }
                    }
                    if up >= need || down >= need { bottom = y }
                }
            }
            return bottom
        }

        /// Thin vertical lines (1–2 sample columns, brighter or darker than both
        /// neighbours on the mean picture) that run for at least half of the
        /// rows below the chrome: the borders between a page's columns.
        func separators(firstRow: Int) -> [ClosedRange<Int>] {
            let w = width, h = height
            let rows = h - firstRow
            guard w >= 4, rows >= 8 else { return [] }
            let t = Tuning.lineContrast * Int32(count)
            let minSpan = max(4, Int(Double(rows) * Tuning.separatorMinSpan))
            let maxGap = max(2, h / 100)

            /// Tracks runs of supporting rows with short gaps allowed.
            struct Run {
                var start = -1, last = -1, hits = 0, qualified = false
                mutating func feed(_ y: Int, _ hit: Bool, minSpan: Int, maxGap: Int) {
                    guard hit else { return }
                    if start >= 0 && y - last - 1 <= maxGap {
                        last = y; hits += 1
                    } else {
                        close(minSpan: minSpan)
                        start = y; last = y; hits = 1
                    }
                }
                mutating func close(minSpan: Int) {
                    guard start >= 0 else { return }
                    let span = last - start + 1
                    if span >= minSpan && Double(hits) >= Double(span) * Tuning.separatorMinDensity { qualified = true }
                    start = -1
                }
            }

            /// Is there a 1- or 2-column (`k`) ridge at column `x` on row offset `r`? (bright, dark)
            @inline(__always)
            func ridge(_ s: UnsafeBufferPointer<Int32>, _ r: Int, _ x: Int, _ k: Int) -> (Bool, Bool) {
                let l = s[r + x - 1], rr = s[r + x + k]
                let a = s[r + x], b = k == 2 ? s[r + x + 1] : a
                return (min(a, b) - max(l, rr) >= t, min(l, rr) - max(a, b) >= t)
            }
            // Cheap row-major pre-pass: a column can only qualify if enough rows
            // support it at all, which rules out nearly every column at once.
            let minHits = Int(Double(minSpan) * Tuning.separatorMinDensity)
            var hits = [Int32](repeating: 0, count: 3 * w)   // index k * w + x
            sum.withUnsafeBufferPointer { s in
                hits.withUnsafeMutableBufferPointer { counts in
                    for y in firstRow..<h {
                        let r = y * w
                        for k in 1...2 {
                            var x = 1
                            while x + k <= w - 1 {
                                let (bright, dark) = ridge(s, r, x, k)
                                if bright || dark { counts[k * w + x] += 1 }
                                x += 1
                            }
                        }
                    }
                }
            }

            var found: [ClosedRange<Int>] = []
            sum.withUnsafeBufferPointer { s in
                for k in 1...2 {
                    var x = 1
                    while x + k <= w - 1 {
                        defer { x += 1 }
                        guard hits[k * w + x] >= minHits else { continue }
                        var bright = Run(), dark = Run()
                        for y in firstRow..<h {
                            let (isBright, isDark) = ridge(s, y * w, x, k)
                            // A page's border is drawn, not content: its pixels stay put. The left
                            // edges of scrolling left-aligned text (code at each indent level) also
                            // make ridges on the mean picture, but their pixels keep changing.
                            let still = changes[y * w + x] <= 1 && changes[y * w + x + k - 1] <= 1
                            bright.feed(y, isBright && still, minSpan: minSpan, maxGap: maxGap)
                            dark.feed(y, isDark && still, minSpan: minSpan, maxGap: maxGap)
                        }
                        bright.close(minSpan: minSpan)
                        dark.close(minSpan: minSpan)
                        if bright.qualified || dark.qualified { found.append(x...(x + k - 1)) }
                    }
                }
            }
            // Merge overlapping / touching detections (a line seen as 1 and 2 px).
            found.sort { $0.lowerBound < $1.lowerBound }
            var merged: [ClosedRange<Int>] = []
            for r in found {
                if let last = merged.last, r.lowerBound <= last.upperBound + 1 {
                    merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
                } else {
                    merged.append(r)
                }
            }
            return merged
        }

        /// Keeps pixels whose count reaches `minCount` and that have at least
        /// two such neighbours in their 3×3 block (isolated specks are codec
        /// noise or a cursor, not content); rows above `firstRow` are dropped.
        /// Returns the counts as weights and how many pixels survived.
        func denoised(_ counts: [Int32], minCount: Int32, firstRow: Int) -> ([Int32], Int) {
            let w = width, h = height, total = w * h
            var mask = [UInt8](repeating: 0, count: total)
            for p in (firstRow * w)..<total where counts[p] >= minCount { mask[p] = 1 }
            var horiz = [UInt8](repeating: 0, count: total)
            for y in firstRow..<h {
                let r = y * w
                for x in 0..<w {
                    var v = mask[r + x]
                    if x > 0 { v += mask[r + x - 1] }
                    if x < w - 1 { v += mask[r + x + 1] }
                    horiz[r + x] = v
                }
            }
            var weights = [Int32](repeating: 0, count: total)
            var active = 0
            for y in firstRow..<h {
                let r = y * w
                for x in 0..<w where mask[r + x] != 0 {
                    var n = Int(horiz[r + x])
                    if y > 0 { n += Int(horiz[r - w + x]) }
                    if y < h - 1 { n += Int(horiz[r + w + x]) }
                    if n >= 3 { weights[r + x] = counts[r + x]; active += 1 }
                }
            }
            return (weights, active)
        }
    }
}
