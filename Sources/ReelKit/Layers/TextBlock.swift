import Foundation
import ReelMedia
import ReelText

/// A block of text rasterized once, with its place in the top safe band: the title or the
/// hook's headline, laid out by the captions' engine (`TextBlockEngine`). Not a layer itself:
/// `TextBlockLayer` shows it in the frames it belongs to.
final class TextBlock {
    let overlay: Overlay
    let x: Int, y: Int

    /// - Parameter size: the Chinese line's size (default: the style's title size); the
    ///   English line is 5/8 of it. The hook's headline is a bigger title.
    init(text: String, english: String?, style: CaptionStyle, size: Int? = nil, box: RGBA? = nil,
         canvasWidth: Int, canvasHeight: Int, safeArea: SafeArea, segmenter: WordSegmenter = .standard()) throws {
        let size = size ?? style.titleSize
        let safe = safeArea.scaled(toWidth: canvasWidth, height: canvasHeight)
        let blocks = TextBlockEngine(rasterizer: try TextRasterizer(), segmenter: segmenter,
                                maxTextWidth: Double(canvasWidth - safe.left - safe.right))
        var zhStyle = style.chinese
        zhStyle.size = size
        zhStyle.color = style.titleColor
        // A headline reads best on one line: shrink to 2/3 of its size first, then allow two.
        let minimum = max(24, size * 2 / 3)
        var zhLayout = blocks.layout(text, style: zhStyle, minimum: minimum, language: "zh", maxLines: 1)
        if zhLayout == nil || zhLayout!.overflowed {
            zhLayout = blocks.layout(text, style: zhStyle, minimum: minimum, language: "zh", maxLines: style.maxLinesPerLanguage)
        }
        let zh = try blocks.render(zhLayout)
        var enStyle = style.english
        // In proportion to the Chinese line as fitted.
        enStyle.size = max(24, (zhLayout?.style.size ?? 0) * 5 / 8)
        let en = try english.map { try blocks.render(blocks.layout($0, style: enStyle, minimum: 24, language: "en",
                                                                   maxLines: style.maxLinesPerLanguage)) } ?? .empty
        var image = TextImage.stacked([zh, en], gap: style.gap)
        if let box = box ?? style.box { image = image.onBox(color: box, margin: style.boxMargin, radius: style.boxRadius) }
        overlay = Overlay(premultipliedRGBA: image.pixels, width: image.width, height: image.height)
        x = safe.left + (canvasWidth - safe.left - safe.right - image.width) / 2
        y = safe.top + style.bottomMargin - image.padding
    }
}
