import Foundation

/// A colour with alpha, 0–255 per channel, not premultiplied.
public struct RGBA: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8, a: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8, _ a: UInt8 = 255) { self.r = r; self.g = g; self.b = b; self.a = a }

    /// "#RRGGBB" or "#RRGGBBAA".
    public init?(hex: String) {
        var s = hex
        if s.hasPrefix("#") { s.removeFirst() }
        if s.count == 3 || s.count == 4 { s = s.map { "\($0)\($0)" }.joined() }   // #fff, #fff8
        guard s.count == 6 || s.count == 8, let v = UInt32(s, radix: 16) else { return nil }
        if s.count == 6 { self.init(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)) }
        else { self.init(UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)) }
    }

    public static let white = RGBA(255, 255, 255)
    public static let black = RGBA(0, 0, 0)
}

/// How one kind of text (the Chinese line, the English line, a headline) looks.
public struct TextStyle: Sendable, Equatable, Hashable {
    /// A fontconfig family name ("Noto Sans CJK SC") or a font file path.
    public var font: String
    public var size: Int
    public var color: RGBA
    /// Colour of `{emphasis}` and `**emphasis**` spans.
    public var emphasisColor: RGBA
    /// Outline (FreeType stroker) width in pixels; 0 = none.
    public var outlineWidth: Double
    public var outlineColor: RGBA
    public var shadowOffset: (x: Int, y: Int)
    /// Soft shadow blur radius in pixels; shadow drawn only when its colour has alpha.
    public var shadowBlur: Int
    public var shadowColor: RGBA
    /// Line height as a multiple of the size.
    public var lineSpacing: Double

    public init(font: String, size: Int, color: RGBA = .white, emphasisColor: RGBA = RGBA(255, 214, 0),
                outlineWidth: Double = 0, outlineColor: RGBA = .black, shadowOffset: (x: Int, y: Int) = (0, 0),
                shadowBlur: Int = 0, shadowColor: RGBA = RGBA(0, 0, 0, 0), lineSpacing: Double = 1.25) {
        self.font = font; self.size = size; self.color = color; self.emphasisColor = emphasisColor
        self.outlineWidth = outlineWidth; self.outlineColor = outlineColor; self.shadowOffset = shadowOffset
        self.shadowBlur = shadowBlur; self.shadowColor = shadowColor; self.lineSpacing = lineSpacing
    }

    public static func == (a: TextStyle, b: TextStyle) -> Bool {
        a.font == b.font && a.size == b.size && a.color == b.color && a.emphasisColor == b.emphasisColor
            && a.outlineWidth == b.outlineWidth && a.outlineColor == b.outlineColor
            && a.shadowOffset.x == b.shadowOffset.x && a.shadowOffset.y == b.shadowOffset.y
            && a.shadowBlur == b.shadowBlur && a.shadowColor == b.shadowColor && a.lineSpacing == b.lineSpacing
    }
    public func hash(into h: inout Hasher) { h.combine(font); h.combine(size); h.combine(color) }
}

/// A run of text with or without emphasis.
public struct TextRun: Sendable, Equatable {
    public var text: String
    public var emphasized: Bool
    public init(_ text: String, emphasized: Bool = false) { self.text = text; self.emphasized = emphasized }
}

/// reel's inline emphasis markup: `{卡帕西}` or `**TikTok**` is drawn in the emphasis colour.
public enum EmphasisMarkup {
    /// The text without markup and, per Character of it, whether it is emphasized.
    public static func parse(_ text: String) -> (plain: String, emphasized: [Bool]) {
        var plain = "", flags: [Bool] = []
        var inBrace = false, inStars = false
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*" {
                inStars.toggle(); i += 2; continue
            }
            if c == "{" && !inBrace { inBrace = true; i += 1; continue }
            if c == "}" && inBrace { inBrace = false; i += 1; continue }
            plain.append(c)
            flags.append(inBrace || inStars)
            i += 1
        }
        return (plain, flags)
    }

    /// Splits one laid-out line of `plain` into runs, walking `plain` from `offset` (spaces
    /// the line breaker dropped at line ends are skipped).
    public static func runs(for line: String, plain: [Character], flags: [Bool], offset: inout Int) -> [TextRun] {
        var runs: [TextRun] = []
        for c in line {
            while offset < plain.count, plain[offset] != c { offset += 1 }
            let e = offset < flags.count ? flags[offset] : false
            offset += 1
            if let last = runs.last, last.emphasized == e { runs[runs.count - 1].text.append(c) }
            else { runs.append(TextRun(String(c), emphasized: e)) }
        }
        return runs
    }
}
