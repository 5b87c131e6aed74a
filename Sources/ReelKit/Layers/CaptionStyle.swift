import Foundation
import ReelMedia
import ReelText

/// How burned-in bilingual captions look and where they sit.
public struct CaptionStyle: Sendable, Codable {
    public var chinese = TextStyle(font: "Noto Sans CJK SC", size: 64, color: .white, outlineWidth: 5,
                                   outlineColor: RGBA(0, 0, 0), shadowOffset: (0, 4), shadowBlur: 6,
                                   shadowColor: RGBA(0, 0, 0, 140))
    public var english = TextStyle(font: "Noto Sans CJK SC", size: 40, color: RGBA(255, 236, 160),
                                   emphasisColor: RGBA(90, 220, 255), outlineWidth: 3.5,
                                   outlineColor: RGBA(0, 0, 0), shadowOffset: (0, 3), shadowBlur: 5,
                                   shadowColor: RGBA(0, 0, 0, 140))
    /// Sizes are lowered (to these floors) before a language takes a third line.
    public var chineseMinimumSize = 48
    public var englishMinimumSize = 30
    public var maxLinesPerLanguage = 2
    /// Fade in and out over this many frames.
    public var fadeFrames = 4
    /// Gap between the Chinese and the English block, and above the bottom safe margin.
    public var gap = 14
    public var bottomMargin = 24
    /// Persistent title (headline) size and colour.
    public var titleSize = 72
    /// The hook's headline: big enough to read as the cover.
    public var headlineSize = 96
    /// The headline sits on a translucent box so it reads over any screen content (the cover).
    public var headlineBox: RGBA? = RGBA(0, 0, 0, 215)
    public var titleColor = RGBA(255, 255, 255)
    /// Optional rounded translucent box behind the whole caption block, always (nil = none).
    public var box: RGBA? = nil
    /// The box a caption block gets when it would lie over the screen panel (the recording's
    /// own text makes bare captions unreadable, as in `pip`); nil = never. `box` wins.
    public var boxOverScreen: RGBA? = CaptionStyle.defaultBoxOverScreen
    public static let defaultBoxOverScreen: RGBA? = RGBA(0, 0, 0, 215)
    /// `--caption-box` / `subtitles.box`: a colour (always), `auto` (over the screen only) or
    /// `none`. False when the word is none of these.
    public mutating func setBox(_ word: String) -> Bool {
        switch word.lowercased() {
        case "auto": box = nil; boxOverScreen = Self.defaultBoxOverScreen
        case "none": box = nil; boxOverScreen = nil
        default:
            guard let colour = RGBA(hex: word) else { return false }
            box = colour
        }
        return true
    }
    public var boxMargin = 18
    public var boxRadius = 20
    public init() {}
}
