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
    /// Line breaking, size fitting and rasterizing of each language's block.
    private let blocks: TextBlockEngine
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
        blocks = TextBlockEngine(rasterizer: rasterizer, segmenter: segmenter, maxTextWidth: Double(canvasWidth - safe.left - safe.right))
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

    typealias BlockLayout = TextBlockEngine.BlockLayout

    /// Lines for one language (see `TextBlockEngine.layout`).
    func blockLayout(_ text: String, style base: TextStyle, minimum: Int, language: String, maxLines: Int? = nil) -> BlockLayout? {
        blocks.layout(text, style: base, minimum: minimum, language: language, maxLines: maxLines ?? style.maxLinesPerLanguage)
    }

    /// What a caption line keeps whole: words, and each emphasis span (`{卡帕西}`).
    static func units(plain: String, emphasized flags: [Bool], segmenter: WordSegmenter) -> [Range<Int>] {
        TextBlockEngine.units(plain: plain, emphasized: flags, segmenter: segmenter)
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

    func layout(_ cue: Cue) throws -> (overlay: Overlay, x: Int, y: Int) {
        let (zhLayout, enLayout) = blockLayouts(cue)
        let zh = try blocks.render(zhLayout), en = try blocks.render(enLayout)
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
