import Foundation

/// Text helpers shared by the subtitle parsers: line splitting, markup stripping and the
/// Chinese/English split of a cue's lines.
enum SubtitleText {
    // MARK: - Lines

    /// Splits on LF, CRLF and lone CR (scalar-wise: Swift treats "\r\n" as one Character).
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for s in text.unicodeScalars {
            if s == "\r" {
                result.append(String(current))
                current = String.UnicodeScalarView()
                previousCR = true
                continue
            }
            if s == "\n" {
                if !previousCR {
                    result.append(String(current))
                    current = String.UnicodeScalarView()
                }
                previousCR = false
                continue
            }
            previousCR = false
            current.append(s)
        }
        result.append(String(current))
        return result
    }

    /// Drops leading and trailing white space (Unicode White_Space: spaces, tabs, U+3000, …).
    static func trim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return s }
        return String(scalars[first...last])
    }

    // MARK: - Chinese / English

    /// True for Han ideographs (URO, ext A, ext B and later, compatibility), CJK radicals,
    /// CJK symbols and punctuation (、。《》「」…, but not the ideographic space U+3000),
    /// kana, bopomofo, enclosed CJK, CJK compatibility/vertical/small forms and the
    /// full-width forms block (，！？：；（）).
    static func isCJK(_ v: UInt32) -> Bool {
        switch v {
        case 0x2E80...0x2FDF, 0x2FF0...0x2FFF: return true        // radicals, Kangxi, IDC
        case 0x3001...0x303F: return true                         // CJK symbols and punctuation
        case 0x3040...0x30FF, 0x31F0...0x31FF: return true        // kana
        case 0x3100...0x312F, 0x31A0...0x31BF: return true        // bopomofo
        case 0x31C0...0x31EF, 0x3200...0x33FF: return true        // strokes, enclosed, compatibility
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return true        // ext A, unified ideographs
        case 0xF900...0xFAFF: return true                         // compatibility ideographs
        case 0xFE10...0xFE1F, 0xFE30...0xFE6F: return true        // vertical, compatibility, small forms
        case 0xFF01...0xFF9F, 0xFFE0...0xFFE6: return true        // full-width forms, half-width kana
        case 0x20000...0x3FFFF: return true                       // ext B and later (SIP, TIP)
        default: return false
        }
    }

    /// Typographic marks both languages use: “ ” ‘ ’ … — ·.
    private static func isShared(_ v: UInt32) -> Bool {
        v == 0x201C || v == 0x201D || v == 0x2018 || v == 0x2019 || v == 0x2026 || v == 0x2014 || v == 0x00B7
    }

    /// A line is Chinese when it has any CJK character (see `isCJK`). Curly quotes, "…", "—"
    /// and "·" are shared with English typography, so they make a line Chinese only when it
    /// has no Latin letter (“……” is Chinese, “Hello” is English).
    static func isChinese(_ line: String) -> Bool {
        var shared = false
        var latin = false
        for s in line.unicodeScalars {
            let v = s.value
            if isCJK(v) { return true }
            if isShared(v) { shared = true }
            if (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || (v >= 0xC0 && v <= 0x24F) { latin = true }
        }
        return shared && !latin
    }

    /// Splits `text` into lines, trims each, drops empty ones and sends each line to the
    /// Chinese or the English side.
    static func bilingual(_ text: String) -> (chinese: String, english: String) {
        var zh: [String] = [], en: [String] = []
        for raw in lines(text) {
            let line = trim(raw)
            if line.isEmpty { continue }
            if isChinese(line) { zh.append(line) } else { en.append(line) }
        }
        return (zh.joined(separator: "\n"), en.joined(separator: "\n"))
    }

    // MARK: - Markup

    /// HTML-ish tags SRT and WebVTT use for styling; other `<…>` text is kept.
    private static let tagNames: Set<String> = ["i", "b", "u", "s", "em", "strong", "font", "span",
                                                "c", "v", "lang", "ruby", "rt", "rp", "br"]

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }
    private static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }

    /// Removes styling tags (`<i>`, `</i>`, `<b>`, `<font color="…">`, `<c.x>`, `<v Speaker>`,
    /// `<lang en>`, WebVTT timestamps `<00:00:01.000>`, …; `<br>` becomes a line break; ruby
    /// text after `<rt>` is dropped up to `</rt>`, `</ruby>` or the end of the line) and
    /// ASS-style override blocks (`{\an8}`: braces whose content starts with a backslash). Emphasis markup `{卡帕西}` and `**TikTok**` is kept, as
    /// is `<` text that is not one of these tags ("a < b", "<Ctrl>"). With `entities`, also
    /// decodes `&amp; &lt; &gt; &quot; &apos; &nbsp; &lrm; &rlm;` and `&#…;` (WebVTT).
    static func stripTags(_ text: String, entities: Bool) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var inRubyText = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "<", let close = find(">", in: s, from: i + 1, limit: 256, stopAt: "<") {
                let inner = s[(i + 1)..<close]
                if let tag = tagName(inner) {
                    if tag.name == "br" { out.append("\n") }
                    if tag.name == "rt" { inRubyText = !tag.closing }
                    if tag.name == "ruby" && tag.closing { inRubyText = false }
                    i = close + 1
                    continue
                }
            }
            if c == "{", let close = find("}", in: s, from: i + 1, limit: 1024, stopAt: "{"),
               s[(i + 1)..<close].first(where: { !isSpace($0) }) == "\\" {
                i = close + 1
                continue
            }
            if entities, c == "&", let semi = find(";", in: s, from: i + 1, limit: 10, stopAt: "&"),
               let decoded = entity(s[(i + 1)..<semi]) {
                if !inRubyText, let decoded { out.append(decoded) }
                i = semi + 1
                continue
            }
            if c == "\n" { inRubyText = false }     // an unclosed <rt> ends with its line
            if !inRubyText { out.append(c) }
            i += 1
        }
        return String(out)
    }

    /// Index of `target` in `s` at or after `from`, within `limit` scalars, not crossing a
    /// line break or `stopAt`.
    private static func find(_ target: Unicode.Scalar, in s: [Unicode.Scalar], from: Int, limit: Int,
                             stopAt: Unicode.Scalar) -> Int? {
        var j = from
        let end = min(s.count, from + limit)
        while j < end {
            let c = s[j]
            if c == target { return j }
            if c == stopAt || c == "\n" || c == "\r" { return nil }
            j += 1
        }
        return nil
    }

    /// The tag in `<inner>` if it is a styling tag or a timestamp.
    private static func tagName(_ inner: ArraySlice<Unicode.Scalar>) -> (name: String, closing: Bool)? {
        guard let first = inner.first else { return nil }
        if isDigit(first), inner.allSatisfy({ isDigit($0) || $0 == ":" || $0 == "." }) {
            return ("timestamp", false)
        }
        var k = inner.startIndex
        var closing = false
        if first == "/" { closing = true; k += 1 }
        var name = String.UnicodeScalarView()
        while k < inner.endIndex, isLetter(inner[k]) { name.append(inner[k]); k += 1 }
        guard !name.isEmpty else { return nil }
        if k < inner.endIndex {
            let next = inner[k]
            guard isSpace(next) || next == "." || next == "/" else { return nil }
        }
        let lower = String(name).lowercased()
        return tagNames.contains(lower) ? (lower, closing) : nil
    }

    /// The text of `&name;` (nil = not an entity; .some(nil) = an entity that renders as nothing).
    private static func entity(_ name: ArraySlice<Unicode.Scalar>) -> Unicode.Scalar?? {
        let text = String(String.UnicodeScalarView(name))
        switch text {
        case "amp": return .some("&")
        case "lt": return .some("<")
        case "gt": return .some(">")
        case "quot": return .some("\"")
        case "apos": return .some("'")
        case "nbsp": return .some(" ")
        case "lrm", "rlm": return .some(nil)
        default: break
        }
        guard text.hasPrefix("#") else { return nil }
        let digits = text.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") { value = UInt32(digits.dropFirst(), radix: 16) }
        else { value = UInt32(digits, radix: 10) }
        guard let value, let scalar = Unicode.Scalar(value) else { return nil }
        return .some(scalar)
    }

    /// ASS/SSA dialogue text: override blocks `{\…}` removed (text in drawing mode `{\p1}` …
    /// `{\p0}` dropped), `\N` and `\n` become line breaks, `\h` a space. Other braces (reel's
    /// `{emphasis}`) are kept.
    static func assText(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var drawing = false
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "{", let close = find("}", in: s, from: i + 1, limit: s.count, stopAt: "{") {
                let inner = s[(i + 1)..<close]
                if inner.first(where: { !isSpace($0) }) == "\\" {
                    if let p = drawingLevel(inner) { drawing = p > 0 }
                    i = close + 1
                    continue
                }
            }
            if c == "\\", i + 1 < s.count {
                let n = s[i + 1]
                if n == "N" || n == "n" { out.append("\n"); i += 2; continue }
                if n == "h" { if !drawing { out.append(" ") }; i += 2; continue }
            }
            if !drawing { out.append(c) }
            i += 1
        }
        return String(out)
    }

    /// The last `\pN` (drawing mode) in an override block, if any (`\pos`, `\pbo` are not it).
    private static func drawingLevel(_ inner: ArraySlice<Unicode.Scalar>) -> Int? {
        var level: Int? = nil
        var k = inner.startIndex
        while k < inner.endIndex {
            if inner[k] == "\\", k + 1 < inner.endIndex, inner[k + 1] == "p" {
                var j = k + 2
                var value = 0
                var digits = 0
                while j < inner.endIndex, isDigit(inner[j]), digits < 6 {
                    value = value * 10 + Int(inner[j].value - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0 { level = value }
                k = j
                continue
            }
            k += 1
        }
        return level
    }
}
