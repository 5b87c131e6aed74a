import Foundation
import ReelMedia
import ReelText

/// A text layer that is always shown (a persistent title or headline) in the top safe band,
/// drawn with the same engine as captions and rasterized once.
final class TitleLayer {
    let overlay: Overlay
    let x: Int, y: Int

    /// - Parameter size: the Chinese line's size (default: the style's title size); the
    ///   English line is 5/8 of it. The hook's headline is a bigger title.
    init(text: String, english: String?, style: CaptionStyle, size: Int? = nil, box: RGBA? = nil,
         canvasWidth: Int, canvasHeight: Int, safeArea: SafeArea, segmenter: WordSegmenter = .standard()) throws {
        let size = size ?? style.titleSize
        let safe = safeArea.scaled(toWidth: canvasWidth, height: canvasHeight)
        let track = try SubtitleTrack(cues: [], style: style, canvasWidth: canvasWidth, canvasHeight: canvasHeight,
                                      safeArea: safeArea, fps: 30, captionBottom: canvasHeight, segmenter: segmenter)
        var zhStyle = style.chinese
        zhStyle.size = size
        zhStyle.color = style.titleColor
        // A headline reads best on one line: shrink to 2/3 of its size first, then allow two.
        var zh = try track.block(text, style: zhStyle, minimum: max(24, size * 2 / 3), language: "zh", maxLines: 1)
        if zh.height == 0 || track.lastBlockOverflowed {
            zh = try track.block(text, style: zhStyle, minimum: max(24, size * 2 / 3), language: "zh")
        }
        var enStyle = style.english
        enStyle.size = max(24, track.lastBlockSize * 5 / 8)   // in proportion to the Chinese line as fitted
        let en = try english.map { try track.block($0, style: enStyle, minimum: 24, language: "en") } ?? .empty
        var image = TextImage.stacked([zh, en], gap: style.gap)
        if let box = box ?? style.box { image = image.onBox(color: box, margin: style.boxMargin, radius: style.boxRadius) }
        overlay = Overlay(premultipliedRGBA: image.pixels, width: image.width, height: image.height)
        x = safe.left + (canvasWidth - safe.left - safe.right - image.width) / 2
        y = safe.top + style.bottomMargin - image.padding
    }
}
