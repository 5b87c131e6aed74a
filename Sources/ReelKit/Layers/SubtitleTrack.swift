import Foundation
import ReelMedia
import ReelText

/// Burned-in subtitles: each cue is laid out (line breaking, size fitting) and rasterized
/// once, converted to a YUV overlay, and only blended on the frames it covers.
/// Used from one thread (FreeType faces are not thread-safe).
final class SubtitleTrack {
    let cues: [Cue]
    let style: CaptionStyle
    let canvasWidth: Int, canvasHeight: Int
    let safe: SafeArea
    let fps: Int
    /// The y of the caption block's bottom edge (the layout decides: above the bottom UI, the
    /// seam of a split, or above a corner presenter).
    let captionBottom: Int
    /// Where the screen panel is: a block over it gets `style.boxOverScreen`.
    let screenPanel: PixelRect?
    private let rasterizer: TextRasterizer
    /// Where Chinese lines may not break (dictionary and lexicon words).
    let segmenter: WordSegmenter
    private var cache: [Int: (overlay: Overlay, x: Int, y: Int)] = [:]

    init(cues: [Cue], style: CaptionStyle, canvasWidth: Int, canvasHeight: Int, safeArea: SafeArea, fps: Int, captionBottom: Int,
         screenPanel: PixelRect? = nil, segmenter: WordSegmenter = .standard()) throws {
        self.segmenter = segmenter
        self.captionBottom = captionBottom
        self.screenPanel = screenPanel
        self.cues = cues.sorted { $0.start < $1.start }
        self.style = style
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        self.safe = safeArea.scaled(toWidth: canvasWidth, height: canvasHeight)
        self.fps = fps
        rasterizer = try TextRasterizer()
    }

    /// Characters no installed font has, across all cues (reported once as a warning).
    func missingCharacters() throws -> [Character] {
        var missing = Set<Character>()
        for cue in cues {
            missing.formUnion(try self.missing(in: cue.chinese, font: style.chinese.font))
            missing.formUnion(try self.missing(in: cue.english, font: style.english.font))
        }
        return missing.sorted()
    }

    var maxTextWidth: Double { Double(canvasWidth - safe.left - safe.right) }

    /// The overlay to blend at output time `t`, with its position and fade opacity.
    /// - Parameter segmentStart: where the edit-list segment being shown starts (source
    ///   time): a cue already running there, or starting with it, is shown at once, not
    ///   faded in (a hook's first frame is the cover).
    func overlay(at t: Double, segmentStart: Double = -.infinity) throws -> (overlay: Overlay, x: Int, y: Int, opacity: Double, cue: Int)? {
        guard let index = cues.lastIndex(where: { $0.start <= t && t < $0.end }) else {
            cache = cache.filter { cues[$0.key].end > t }   // forget cues that are over
            return nil
        }
        let cue = cues[index]
        let placed = try cache[index] ?? layout(cue)
        cache[index] = placed
        let fade = Double(max(style.fadeFrames, 1)) / Double(fps)
        let fadeIn = cue.start <= segmentStart + 1e-6 ? 1 : (t - cue.start + 1 / Double(fps)) / fade
        let opacity = min(1, fadeIn, (cue.end - t) / fade)
        return (placed.overlay, placed.x, placed.y, max(0, opacity), index)
    }

    /// Whether the last `block` needed more lines than it was allowed (it then used more).
    private(set) var lastBlockOverflowed = false
    /// The size the last `block` was laid out at.
    private(set) var lastBlockSize = 0

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
    func blockLayout(_ text: String, style base: TextStyle, minimum: Int, language: String, maxLines: Int? = nil) -> BlockLayout? {
        let allowed = maxLines ?? style.maxLinesPerLanguage
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

    func block(_ text: String, style base: TextStyle, minimum: Int, language: String, maxLines: Int? = nil) throws -> TextImage {
        guard let b = blockLayout(text, style: base, minimum: minimum, language: language, maxLines: maxLines) else {
            lastBlockOverflowed = false
            return .empty
        }
        lastBlockOverflowed = b.overflowed
        lastBlockSize = b.style.size
        return try rasterizer.render(lines: b.runs, style: b.style)
    }

    /// A cue's Chinese and English blocks as `layout` draws them.
    func blockLayouts(_ cue: Cue) -> (chinese: BlockLayout?, english: BlockLayout?) {
        (blockLayout(cue.chinese, style: style.chinese, minimum: style.chineseMinimumSize, language: "zh"),
         blockLayout(cue.english, style: style.english, minimum: style.englishMinimumSize, language: "en"))
    }

    /// Characters of `text` no installed font has (emphasis markup removed).
    func missing(in text: String, font: String) throws -> [Character] {
        try rasterizer.missing(in: EmphasisMarkup.parse(text).plain, font: font)
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

    func layout(_ cue: Cue) throws -> (overlay: Overlay, x: Int, y: Int) {
        let zh = try block(cue.chinese, style: style.chinese, minimum: style.chineseMinimumSize, language: "zh")
        let en = try block(cue.english, style: style.english, minimum: style.englishMinimumSize, language: "en")
        var image = TextImage.stacked([zh, en], gap: style.gap)
        if let box = style.box ?? (overScreen(image) ? style.boxOverScreen : nil) {
            image = image.onBox(color: box, margin: style.boxMargin, radius: style.boxRadius)
        }
        let overlay = Overlay(premultipliedRGBA: image.pixels, width: image.width, height: image.height)
        return (overlay, blockX(image), blockY(image))
    }

    private func blockX(_ image: TextImage) -> Int { safe.left + (canvasWidth - safe.left - safe.right - image.width) / 2 }
    private func blockY(_ image: TextImage) -> Int { max(safe.top, captionBottom - (image.height - image.padding)) }

    /// Whether the block's inked part (its padding is shadow room) lies over the screen panel.
    private func overScreen(_ image: TextImage) -> Bool {
        guard let p = screenPanel else { return false }
        let x = blockX(image) + image.padding, y = blockY(image) + image.padding
        let w = image.width - 2 * image.padding, h = image.height - 2 * image.padding
        return x < p.x + p.width && p.x < x + w && y < p.y + p.height && p.y < y + h
    }
}
