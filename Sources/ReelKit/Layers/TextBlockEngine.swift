import Foundation
import ReelMedia
import ReelText

/// One language's block of text (a caption's Chinese or English lines, a title, the hook's
/// headline): broken into balanced lines at the largest size that fits, then rasterized.
/// Captions, titles and `reel captions` all lay out through here. One thread (FreeType).
final class TextBlockEngine {
    private let rasterizer: TextRasterizer
    /// Where Chinese lines may not break (dictionary and lexicon words).
    let segmenter: WordSegmenter
    /// The safe area's width: no line is wider.
    let maxTextWidth: Double

    init(rasterizer: TextRasterizer, segmenter: WordSegmenter, maxTextWidth: Double) {
        self.rasterizer = rasterizer
        self.segmenter = segmenter
        self.maxTextWidth = maxTextWidth
    }

    /// One language's lines as they will be drawn, and the size they are drawn at.
    struct BlockLayout {
        var lines: [String]
        var runs: [[TextRun]]
        var style: TextStyle
        /// Needed more than the allowed lines even at the floor size (it then uses more).
        var overflowed: Bool
    }

    /// Lines for one language: the largest size (down to the floor) at which the text fits
    /// in `maxLinesPerLanguage` balanced lines; at the floor it takes the lines it needs.
    /// nil for a blank text. Render, titles and `reel captions` all lay out through here.
    func layout(_ text: String, style base: TextStyle, minimum: Int, language: String, maxLines allowed: Int) -> BlockLayout? {
        let (plain, flags) = EmphasisMarkup.parse(text.replacingOccurrences(of: "\n", with: language == "zh" ? "" : " "))
        guard !plain.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let breaker = LineBreaker(language: language)
        // Segmented once per block, not per size tried.
        let units = Self.units(plain: plain, emphasized: flags, segmenter: segmenter)
        var s = base
        var lines: [String]? = nil
        var size = base.size
        /// Text wider in one line than `count` full lines (with room for the spaces dropped at
        /// breaks) cannot fit in them: not worth a line-breaking pass over a hostile cue.
        func hopeless(_ count: Int, _ style: TextStyle) -> Bool {
            plain.unicodeScalars.count > 64 && rasterizer.measure(plain, style: style) > Double(count) * maxTextWidth * 1.25
        }
        while size >= minimum {
            s.size = size
            let measureStyle = s
            if !hopeless(allowed, s) {
                lines = breaker.layout(plain, maxWidth: maxTextWidth, maxLines: allowed, keepingWhole: units) {
                    self.rasterizer.measure($0, style: measureStyle)
                }
                if lines != nil { break }
            }
            size -= 2
        }
        var overflowed = false
        if lines == nil {
            overflowed = true
            s.size = minimum
            let measureStyle = s
            let measure = { (text: String) in self.rasterizer.measure(text, style: measureStyle) }
            lines = (hopeless(8, s) ? nil : breaker.layout(plain, maxWidth: maxTextWidth, maxLines: 8, keepingWhole: units, measure: measure))
                ?? Self.hardWrap(plain, maxWidth: maxTextWidth, measure: measure)
        }
        let chars = Array(plain)
        var offset = 0
        let runs = lines!.map { EmphasisMarkup.runs(for: $0, plain: chars, flags: flags, offset: &offset) }
        return BlockLayout(lines: lines!, runs: runs, style: s, overflowed: overflowed)
    }

    /// The block drawn (an empty image for no block).
    func render(_ block: BlockLayout?) throws -> TextImage {
        guard let block else { return .empty }
        return try rasterizer.render(lines: block.runs, style: block.style)
    }

    /// What a caption line keeps whole: words, and each emphasis span (`{卡帕西}`).
    static func units(plain: String, emphasized flags: [Bool], segmenter: WordSegmenter) -> [Range<Int>] {
        var units = segmenter.words(in: plain)
        var i = 0
        while i < flags.count {
            guard flags[i] else { i += 1; continue }
            var e = i
            while e < flags.count, flags[e] { e += 1 }
            units.append(i..<e)
            i = e
        }
        return units
    }

    /// Lines cut wherever the width runs out, at most `maxLines`, the last ending in "…" when
    /// text is left over: the last resort for a cue too long for 8 lines even at the smallest
    /// size, which no phone screen could show. A 2 000-character cue drawn whole was a
    /// 7 000-pixel-tall picture (a minute of rasterizing); one unbroken line was 76 000 wide.
    static func hardWrap(_ text: String, maxWidth: Double, maxLines: Int = 8, measure: (String) -> Double) -> [String] {
        var lines: [String] = [], line = ""
        for c in text {
            if !line.isEmpty, measure(line + String(c)) > maxWidth {
                lines.append(line)
                line = ""
                if lines.count == maxLines { break }
            }
            if !(line.isEmpty && c == " ") { line.append(c) }
        }
        if lines.count < maxLines {
            if !line.isEmpty { lines.append(line) }
            return lines
        }
        var last = lines[maxLines - 1]
        while !last.isEmpty, measure(last + "…") > maxWidth { last.removeLast() }
        lines[maxLines - 1] = last + "…"
        return lines
    }
}
