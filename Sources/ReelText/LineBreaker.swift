internal import CText

/// A place where a line may end: after `index` Characters of the text.
public struct BreakOpportunity: Equatable, Sendable {
    /// The line may end after this many Characters (1 ..< text.count).
    public var index: Int
    /// A hard line break (the Character before it is a newline): the line must end here.
    public var mandatory: Bool
    public init(index: Int, mandatory: Bool = false) { self.index = index; self.mandatory = mandatory }
}

/// Decides where subtitle lines break: UAX #14 (libunibreak) plus Chinese punctuation rules
/// (kinsoku), keeping English words, "Veo 3", "-> 0" and URLs together, and lays text out in
/// a few lines of balanced width.
///
/// Break opportunities come in tiers, best first:
/// - mandatory: after a newline; every layout ends the line there.
/// - allowed: UAX #14 (libunibreak, `language` as its lang argument) at grapheme-cluster
///   boundaries only, with the overrides below.
/// - discouraged (a soft non-break, used only when no layout without it fits in the same
///   number of lines): between a word and a short number after it ("Veo | 3"), between a short
///   number and its unit ("30 | fps"), after a short operator ("-> | 0", "= | 5"), and after the
///   hyphen of a hyphenated word ("state-| of-the-art").
/// - none inside a unit kept whole: a word (`WordSegmenter`: Chinese dictionary words, lexicon
///   entries), an emphasis span, a number and the Han measure word or unit after it ("3个",
///   "10倍"). Balancing then happens among the breaks between units.
/// - emergency, only inside a piece of text that alone is wider than the line: a URL breaks
///   after `/`, `.`, `-` or `?` (never between two of them, so not inside "//"); then a word
///   or URL piece that is still too wide breaks between Characters (no hyphen is added, so
///   the lines stay substrings of the text).
///
/// Overrides of UAX #14 (libunibreak 1.1 implements Unicode 6.2):
/// - no line starts with closing or trailing punctuation (`Self.noLineStart`: ，。！？、；：”’）》」』】〕〉…‥·%‰～,.!?;:)]}
///   and ASCII " ' when they close, small kana and prolonged/iteration marks ー 々 ぁ ッ ...),
///   no line ends with opening punctuation (`Self.noLineEnd`: “‘（《「『【〔〈([{ and ASCII " ' when
///   they open). A break that would do so is dropped, so the layout keeps the punctuation with
///   the text before it or takes the previous Character down with the opening one.
/// - no break inside a run of ASCII symbols ("->", "...", "?!"), inside a URL
///   (http://, https://, www., or a bare "x.com/path") or around an apostrophe inside a word
///   ("don’t").
/// - emoji (not known to Unicode 6.2's table) break like ideographs: on either side.
///
/// Hanging punctuation: a line may end with one closing punctuation Character that sticks
/// out past `maxWidth` (by that Character's own advance at most, as the rest of the line fits)
/// when there is no other way; layouts without hanging are preferred.
///
/// Layout chooses, in this order: fewest emergency breaks (Character, then URL), fewest hanging
/// lines, fewest lines, fewest discouraged breaks, the narrowest widest line, then the least
/// raggedness (sum of squared shortfalls from the widest line). Remaining ties go to the layout
/// whose later lines are shorter, so an odd split puts the longer line first ("卡帕西说：视频第一次"
/// over "可以被直接优化了。"): a 2-line subtitle's first line is never shorter than the second when
/// an equally balanced alternative exists.
///
/// Cost: `measure` is called once per distinct line candidate (cached by Character range). A
/// greedy pass first finds how many lines the rest of the text needs from every break, and the
/// DP only tries lines after which the rest still fits, so a 2-line layout of n Characters
/// measures a few times n strings, not n².
public struct LineBreaker: Sendable {
    /// libunibreak's lang argument ("zh", "en", ... or nil for the default rules).
    public let language: String?

    public init(language: String? = nil) { self.language = language }

    /// Break opportunities: indices (in Characters of `text`) after which a line may end,
    /// per UAX #14 (libunibreak) plus the Chinese punctuation rules; mandatory breaks (after a
    /// newline) are marked. Discouraged breaks are included (they are allowed, only avoided by
    /// `layout`); emergency breaks, which depend on the line width, are not. The end of the
    /// text is not listed.
    public func opportunities(in text: String, keepingWhole units: [Range<Int>] = []) -> [BreakOpportunity] {
        let a = analyze(Array(text), keepingWhole: units)
        return a.kinds.indices.compactMap { p in
            a.kinds[p].map { BreakOpportunity(index: p, mandatory: $0 == .mandatory) }
        }
    }

    /// Lays `text` out in at most `maxLines` lines no wider than `maxWidth` as measured by
    /// `measure`, balanced in width. Returns nil when it cannot fit in `maxLines` lines. Lines are
    /// returned without leading or trailing spaces; an empty or blank text gives no lines.
    /// - Parameter units: Character ranges of `text` not to break inside (words, emphasis
    ///   spans), unless one alone is wider than the line.
    public func layout(_ text: String, maxWidth: Double, maxLines: Int, keepingWhole units: [Range<Int>] = [],
                       measure: (String) -> Double) -> [String]? {
        var chars = Array(text)
        while let last = chars.last, last.isWhitespace { chars.removeLast() }
        let lead = chars.prefix(while: { $0.isWhitespace }).count
        chars.removeFirst(lead)
        if chars.isEmpty { return [] }
        guard maxLines > 0 else { return nil }
        let shifted = units.map { ($0.lowerBound - lead)..<($0.upperBound - lead) }
        let analysis = analyze(chars, keepingWhole: shifted)
        return withoutActuallyEscaping(measure) { measure in
            var engine = LayoutEngine(chars: chars, analysis: analysis, maxWidth: maxWidth, measure: measure)
            return engine.run(maxLines: maxLines)
        }
    }
}

// MARK: - Analysis

extension LineBreaker {
    enum Kind: Equatable, Sendable {
        case mandatory, allowed, discouraged
        case url, character   // emergency, added by layout inside too-wide pieces only
    }

    struct Analysis {
        /// kinds[p]: the break after p Characters (p in 0...count; 0 and count are always nil).
        var kinds: [Kind?]
        /// Character ranges of URLs.
        var urls: [Range<Int>]
        var traits: [Traits]
    }

    private static let unibreakReady: Bool = { init_linebreak(); return true }()

    /// UAX #14 break status after each Character: 0 must, 1 allow, 2 no (libunibreak's values).
    func unibreak(_ chars: [Character]) -> [Int] {
        _ = Self.unibreakReady
        var scalars: [utf32_t] = []
        var ends: [Int] = []   // scalar index of each Character's last scalar
        scalars.reserveCapacity(chars.count * 2)
        for c in chars {
            for s in c.unicodeScalars { scalars.append(utf32_t(s.value)) }
            ends.append(scalars.count - 1)
        }
        var brks = [CChar](repeating: CChar(LINEBREAK_NOBREAK), count: scalars.count)
        scalars.withUnsafeBufferPointer { s in
            brks.withUnsafeMutableBufferPointer { b in
                if let language {
                    language.withCString { set_linebreaks_utf32(s.baseAddress, s.count, $0, b.baseAddress) }
                } else {
                    set_linebreaks_utf32(s.baseAddress, s.count, nil, b.baseAddress)
                }
            }
        }
        return ends.map { Int(brks[$0]) }
    }

    func analyze(_ chars: [Character], keepingWhole units: [Range<Int>] = []) -> Analysis {
        let n = chars.count
        let t = Self.traits(chars)
        var kinds = [Kind?](repeating: nil, count: n + 1)
        guard n > 1 else { return Analysis(kinds: kinds, urls: [], traits: t) }
        let status = unibreak(chars)
        for p in 1..<n {
            if t[p - 1].contains(.newline) || Int32(status[p - 1]) == LINEBREAK_MUSTBREAK { kinds[p] = .mandatory }
            else if Int32(status[p - 1]) == LINEBREAK_ALLOWBREAK { kinds[p] = .allowed }
        }
        let urls = Self.urlRanges(chars, t)
        for p in 1..<n where kinds[p] != .mandatory {
            let a = t[p - 1], b = t[p]
            // Emoji break like ideographs (libunibreak's Unicode 6.2 table lacks most of them).
            if (a.contains(.emoji) || b.contains(.emoji)) && !a.contains(.space) && !b.contains(.space) {
                kinds[p] = .allowed
            }
            // Runs of ASCII symbols stay together: "->", "...", "?!".
            if a.contains(.asciiSymbol) && b.contains(.asciiSymbol) { kinds[p] = nil }
            // Apostrophes inside a word: "don’t", "it's" (zh maps ’ to a closing mark).
            if a.contains(.apostrophe), p >= 2, t[p - 2].contains(.word), b.contains(.word) { kinds[p] = nil }
            if b.contains(.apostrophe), p + 1 < n, a.contains(.word), t[p + 1].contains(.word) { kinds[p] = nil }
        }
        for r in urls where r.count > 1 {
            for p in (r.lowerBound + 1)..<r.upperBound where kinds[p] != .mandatory { kinds[p] = nil }
        }
        // Units kept whole; a number keeps the Han measure word or unit after it ("3个", "10倍").
        for r in units {
            let lo = max(r.lowerBound, 0), hi = min(r.upperBound, n)
            guard hi - lo > 1 else { continue }
            for p in (lo + 1)..<hi where kinds[p] != .mandatory { kinds[p] = nil }
        }
        for p in 1..<n where t[p - 1].contains(.digit) && Self.measureWords.contains(chars[p]) && kinds[p] != .mandatory { kinds[p] = nil }
        for p in 1..<n where kinds[p] == .allowed {
            if Self.isDiscouraged(p, chars, t) { kinds[p] = .discouraged }
        }
        for p in 1..<n where kinds[p] != nil && kinds[p] != .mandatory {
            if !Self.kinsokuAllows(p, t) { kinds[p] = nil }
        }
        return Analysis(kinds: kinds, urls: urls, traits: t)
    }

    /// Soft non-breaks: "Veo | 3", "30 | fps", "-> | 0", "state-| of".
    static func isDiscouraged(_ p: Int, _ chars: [Character], _ t: [Traits]) -> Bool {
        let n = chars.count
        // Hyphenated word: letter '-' | letter.
        if p >= 2, t[p - 1].contains(.hyphen), t[p - 2].contains(.word), t[p].contains(.word) { return true }
        guard t[p - 1].contains(.breakSpace) else { return false }
        var e = p - 1   // the previous token is s..<e
        while e > 0, t[e - 1].contains(.breakSpace) { e -= 1 }
        guard e > 0, !t[e - 1].contains(.space) else { return false }
        var s = e
        while s > 0, !t[s - 1].contains(.space) { s -= 1 }
        var q = p       // the next token is p..<q
        while q < n, !t[q].contains(.space) { q += 1 }
        // A short operator keeps its operand: "-> 0", "= 5", "→ 10x".
        if e - s <= 3, (s..<e).allSatisfy({ t[$0].isDisjoint(with: [.letterOrNumber, .emoji, .opening, .closing]) }) {
            return true
        }
        // A word and the short number after it: "Veo 3", "GPT 4o", "iPhone 15".
        if t[e - 1].contains(.word), isShortNumber(p..<q, chars, t) { return true }
        // A short number and its unit: "30 fps", "5 ms", "8 K".
        if isShortNumber(s..<e, chars, t) {
            var u = p
            while u < q, t[u].contains(.word), !t[u].contains(.digit) { u += 1 }
            let word = String(chars[p..<u])
            if units.contains(word) || units.contains(word.lowercased()) { return true }
        }
        return false
    }

    /// A number of at most 4 digits (with . or , inside and up to two letters after, "3.1", "4o",
    /// "8K"), followed by nothing or by something other than a Latin letter or digit.
    static func isShortNumber(_ r: Range<Int>, _ chars: [Character], _ t: [Traits]) -> Bool {
        var i = r.lowerBound, digits = 0
        while i < r.upperBound {
            if t[i].contains(.digit) { digits += 1; i += 1; continue }
            if (chars[i] == "." || chars[i] == ","), i > r.lowerBound, i + 1 < r.upperBound, t[i + 1].contains(.digit) { i += 1; continue }
            break
        }
        guard digits > 0, digits <= 4 else { return false }
        var letters = 0
        while i < r.upperBound, t[i].contains(.word), !t[i].contains(.digit), letters < 3 { letters += 1; i += 1 }
        guard letters <= 2 else { return false }
        return i == r.upperBound || !t[i].contains(.word)
    }

    /// Kinsoku: the line before the break may not end with an opening mark, the next may not
    /// start with a closing one (nor with a space).
    static func kinsokuAllows(_ p: Int, _ t: [Traits]) -> Bool {
        guard p > 0, p < t.count else { return true }
        if t[p].contains(.space) || t[p].contains(.closing) { return false }
        var e = p
        while e > 0, t[e - 1].contains(.breakSpace) { e -= 1 }
        return !(e > 0 && t[e - 1].contains(.opening))
    }

    /// What the rules need to know about a Character.
    struct Traits: OptionSet, Sendable {
        let rawValue: UInt16
        /// Any whitespace, newlines included.
        static let space = Traits(rawValue: 1 << 0)
        /// A space a line may break after (not a no-break space, not a newline).
        static let breakSpace = Traits(rawValue: 1 << 1)
        static let newline = Traits(rawValue: 1 << 2)
        /// A letter or digit of a space-separated script (Latin, Greek, Cyrillic, ...).
        static let word = Traits(rawValue: 1 << 3)
        static let digit = Traits(rawValue: 1 << 4)   // ASCII
        static let emoji = Traits(rawValue: 1 << 5)
        static let asciiSymbol = Traits(rawValue: 1 << 6)
        static let apostrophe = Traits(rawValue: 1 << 7)
        static let hyphen = Traits(rawValue: 1 << 8)
        /// May not start a line (ASCII quotes: when they close).
        static let closing = Traits(rawValue: 1 << 9)
        /// May not end a line (ASCII quotes: when they open).
        static let opening = Traits(rawValue: 1 << 10)
        /// Closing punctuation that may hang past the end of a line.
        static let hangable = Traits(rawValue: 1 << 11)
        /// Any letter or number, Han included.
        static let letterOrNumber = Traits(rawValue: 1 << 12)
    }

    static func traits(_ chars: [Character]) -> [Traits] {
        var t = chars.map(traits(of:))
        // ASCII quotes open after a space, an opening mark or at the start, before something visible.
        for i in chars.indices where chars[i] == "\"" || chars[i] == "'" {
            let opens = i + 1 < chars.count && !t[i + 1].contains(.space)
                && (i == 0 || t[i - 1].contains(.space) || t[i - 1].contains(.opening))
            t[i].insert(opens ? .opening : .closing)
            if !opens { t[i].insert(.hangable) }
        }
        return t
    }

    static func traits(of c: Character) -> Traits {
        var t: Traits = []
        if let a = c.asciiValue {
            switch a {
            case 0x30...0x39: t = [.word, .digit, .letterOrNumber]
            case 0x41...0x5A, 0x61...0x7A: t = [.word, .letterOrNumber]
            case 0x0A, 0x0B, 0x0C, 0x0D: t = [.space, .newline]
            case 0x20, 0x09: t = [.space, .breakSpace]
            case 0x27: t = [.asciiSymbol, .apostrophe]     // ' and " are resolved in context
            case 0x22: t = [.asciiSymbol]
            case 0x2D: t = [.asciiSymbol, .hyphen]
            case 0x00...0x1F, 0x7F: break
            default: t = [.asciiSymbol]
            }
            if c == "\r\n" { t = [.space, .newline] }
        } else {
            if c.isWhitespace {
                t.insert(.space)
                if c.isNewline { t.insert(.newline) }
                else if c != "\u{00A0}" && c != "\u{202F}" && c != "\u{2007}" { t.insert(.breakSpace) }
            }
            let emoji = isEmoji(c)
            if emoji { t.insert(.emoji) }
            if c.isLetter || c.isNumber {
                t.insert(.letterOrNumber)
                if !emoji && !isCJK(c) { t.insert(.word) }
            }
            if c == "’" { t.insert(.apostrophe) }
            if c == "\u{2010}" { t.insert(.hyphen) }
        }
        if let first = c.unicodeScalars.first, c != "\"", c != "'" {
            if noLineStart.contains(first) { t.insert(.closing) }
            if noLineEnd.contains(first) { t.insert(.opening) }
            if hanging.contains(first) { t.insert(.hangable) }
        }
        return t
    }

    /// May not start a line: closing and trailing punctuation, small kana, prolonged and
    /// iteration marks. (ASCII quotes are decided by context.)
    static let noLineStart = Set(("，。！？、；：”’）》」』】〕〉〗〙〛…‥·・%‰～〜﹐﹑﹒﹔﹕﹖﹗．｡､｣％）］｝〞〟"
        + ",.!?;:)]}"
        + "ーヽヾゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ゠").unicodeScalars)
    /// May not end a line: opening punctuation. (ASCII quotes by context.)
    static let noLineEnd = Set("“‘（《「『【〔〈〖〘〚〝（［｛｢([{".unicodeScalars)
    /// Closing punctuation that may hang past the end of a line (one Character per line).
    static let hanging = Set("，。！？、；：”’）》」』】〕〉…‥·%～,.!?;:)]}．､｡".unicodeScalars)
    /// Han measure words and units a number keeps ("3个", "10倍", "5分钟", "2亿").
    static let measureWords = Set<Character>("个倍次年月日号天时点分秒周岁元块角万亿千百十成位名人条件项款台部张步家种篇段集期层级代只份句行帧")
    static let units: Set<String> = ["ms", "s", "sec", "min", "h", "hr", "hrs", "fps", "px", "pt", "k", "M", "B",
                                     "kb", "mb", "gb", "tb", "hz", "khz", "mhz", "ghz", "kg", "g",
                                     "km", "m", "cm", "mm", "x", "p", "bn", "usd", "rmb", "db", "w", "kw", "v"]

    /// CJK scripts and full-width forms.
    static func isCJK(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x1100...0x11FF).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7AF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFFEF).contains(v)
            || (0x20000...0x3FFFF).contains(v)
    }

    static func isEmoji(_ c: Character) -> Bool {
        guard let first = c.unicodeScalars.first, first.value > 0xFF else { return false }
        if first.properties.isEmojiPresentation { return true }
        return first.properties.isEmoji && c.unicodeScalars.contains("\u{FE0F}")
    }

    /// URLs: from "http://", "https://" or "www.", or a bare "host.tld/path", to the next space or
    /// non-ASCII Character, without trailing sentence punctuation.
    static func urlRanges(_ chars: [Character], _ t: [Traits]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let n = chars.count
        let lower = chars.map { c -> UInt8 in
            guard let a = c.asciiValue else { return 0 }
            return (0x41...0x5A).contains(a) ? a + 0x20 : a
        }
        func isAlnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x7A).contains(b) }
        func isURLChar(_ b: UInt8) -> Bool { b > 0x20 && b < 0x7F && b != 0x22 && b != 0x3C && b != 0x3E && b != 0x60 }
        func matches(_ prefix: String, at i: Int, before e: Int) -> Bool {
            let p = Array(prefix.utf8)
            return i + p.count <= e && lower[i..<(i + p.count)].elementsEqual(p)
        }
        var i = 0
        while i < n {
            guard isURLChar(lower[i]) else { i += 1; continue }
            var runEnd = i
            while runEnd < n, isURLChar(lower[runEnd]) { runEnd += 1 }
            defer { i = runEnd }
            var e = runEnd
            while e > i, ".,!?;:'\")]}".utf8.contains(lower[e - 1]) { e -= 1 }
            // With a scheme: anywhere in the run, not right after a letter or digit.
            if let s = (i..<e).first(where: { k in
                (k == i || !isAlnum(lower[k - 1]))
                    && (matches("https://", at: k, before: e) || matches("http://", at: k, before: e) || matches("www.", at: k, before: e))
            }) {
                ranges.append(s..<e)
                continue
            }
            // Bare: a host with a dot and a top-level domain of letters, then a path.
            guard let s = (i..<e).first(where: { isAlnum(lower[$0]) }), s == i || !t[s - 1].contains(.word) else { continue }
            var h = s
            while h < e, isAlnum(lower[h]) || lower[h] == 0x2E || lower[h] == 0x2D { h += 1 }
            guard h < e, lower[h] == 0x2F, let dot = (s..<h).last(where: { lower[$0] == 0x2E }), h - dot > 2,
                  (dot + 1..<h).allSatisfy({ (0x61...0x7A).contains(lower[$0]) }), dot > s else { continue }
            ranges.append(s..<e)
        }
        return ranges
    }
}

// MARK: - Layout

extension LineBreaker {
    struct Cost {
        var characterBreaks = 0, urlBreaks = 0, hangs = 0, discouraged = 0
        var widest = 0.0, ragged = 0.0

        /// Phase 1 orders by the widest line, phase 2 by raggedness.
        func compare(_ o: Cost, byRagged: Bool) -> Int {
            if characterBreaks != o.characterBreaks { return characterBreaks < o.characterBreaks ? -1 : 1 }
            if urlBreaks != o.urlBreaks { return urlBreaks < o.urlBreaks ? -1 : 1 }
            if hangs != o.hangs { return hangs < o.hangs ? -1 : 1 }
            if discouraged != o.discouraged { return discouraged < o.discouraged ? -1 : 1 }
            let (x, y) = byRagged ? (ragged, o.ragged) : (widest, o.widest)
            let eps = 1e-9 * max(1, abs(x), abs(y))
            if x < y - eps { return -1 }
            if x > y + eps { return 1 }
            return 0
        }
    }

    struct LayoutEngine {
        let chars: [Character]
        let analysis: Analysis
        let maxWidth: Double
        let measure: (String) -> Double
        /// measure's answers by Character range.
        var widths: [Int: Double] = [:]
        /// The text's UTF-8 and where each Character starts in it (the last entry is the end).
        let utf8: [UInt8], offsets: [Int]
        let n: Int
        /// Per Character: whitespace; closing punctuation that may hang.
        let space: [Bool], hangs: [Bool]

        init(chars: [Character], analysis: Analysis, maxWidth: Double, measure: @escaping (String) -> Double) {
            self.chars = chars; self.analysis = analysis; self.maxWidth = maxWidth; self.measure = measure
            n = chars.count
            space = analysis.traits.map { $0.contains(.space) }
            hangs = analysis.traits.map { $0.contains(.hangable) && $0.contains(.closing) }
            var utf8: [UInt8] = [], offsets: [Int] = []
            for c in chars {
                offsets.append(utf8.count)
                utf8.append(contentsOf: c.utf8)
            }
            offsets.append(utf8.count)
            self.utf8 = utf8; self.offsets = offsets
        }

        static let urlSeparators: [UInt8] = Array("/.-?".utf8)

        func string(_ r: Range<Int>) -> String {
            String(decoding: utf8[offsets[r.lowerBound]..<offsets[r.upperBound]], as: UTF8.self)
        }

        /// The visible content of the line from s to e: without surrounding whitespace.
        func trimmed(_ s: Int, _ e: Int) -> Range<Int> {
            var s = s, e = e
            while s < e, space[s] { s += 1 }
            while e > s, space[e - 1] { e -= 1 }
            return s..<e
        }

        mutating func width(_ r: Range<Int>) -> Double {
            if r.isEmpty { return 0 }
            let key = r.lowerBound * (n + 1) + r.upperBound
            if let w = widths[key] { return w }
            let w = measure(string(r))
            widths[key] = w
            return w
        }

        /// The width of the line from s to e and whether it hangs, or nil when it does not fit.
        mutating func fit(_ s: Int, _ e: Int) -> (width: Double, hangs: Bool)? {
            let r = trimmed(s, e)
            let w = width(r)
            if w <= maxWidth { return (w, false) }
            guard r.count > 1, hangs[r.upperBound - 1] else { return nil }
            return width(r.lowerBound..<(r.upperBound - 1)) <= maxWidth ? (w, true) : nil
        }

        /// Break positions with their kinds: the analysis' plus emergency breaks inside pieces
        /// that alone do not fit.
        mutating func candidates() -> [(pos: Int, kind: Kind?)] {
            var kinds = analysis.kinds
            var base = [0] + (1..<n).filter { kinds[$0] != nil } + [n]
            // URLs too wide for a line break after / . - ?
            var added = false
            for k in 0..<(base.count - 1) where fit(base[k], base[k + 1]) == nil {
                for url in analysis.urls where url.overlaps(base[k]..<base[k + 1]) {
                    for p in max(url.lowerBound + 1, base[k] + 1)..<min(url.upperBound, base[k + 1])
                    where Self.urlSeparators.contains(utf8[offsets[p - 1]]) && !Self.urlSeparators.contains(utf8[offsets[p]])
                        && kinds[p] == nil && LineBreaker.kinsokuAllows(p, analysis.traits) {
                        kinds[p] = .url; added = true
                    }
                }
            }
            if added { base = [0] + (1..<n).filter { kinds[$0] != nil } + [n] }
            // Anything still too wide breaks between Characters.
            for k in 0..<(base.count - 1) where fit(base[k], base[k + 1]) == nil {
                for p in (base[k] + 1)..<base[k + 1] where kinds[p] == nil && !space[p] && !space[p - 1]
                    && LineBreaker.kinsokuAllows(p, analysis.traits) {
                    kinds[p] = .character
                }
            }
            return [(0, nil)] + (1..<n).compactMap { p in kinds[p].map { (p, $0) } } + [(n, nil)]
        }

        mutating func run(maxLines: Int) -> [String]? {
            let cands = candidates()
            let m = cands.count
            // The next mandatory break at or after each candidate: no line goes past it.
            var stop = [Int](repeating: m - 1, count: m)
            for a in stride(from: m - 2, through: 0, by: -1) {
                stop[a] = cands[a].kind == .mandatory && a > 0 ? a : stop[a + 1]
            }
            // Greedy fill: the farthest break a line from each candidate reaches (two pointers, as
            // it never moves back), and the fewest lines the rest of the text needs from there (exact
            // for widths that grow with the text). Lines are only tried where the rest can still
            // fit, so a 2-line layout measures a few times n strings rather than n².
            var far = [Int](repeating: 0, count: m)
            var end = 0
            for a in 0..<(m - 1) {
                end = max(end, a)
                while end < stop[a + 1], fit(cands[a].pos, cands[end + 1].pos) != nil { end += 1 }
                far[a] = end
            }
            var need = [Int](repeating: Int.max / 2, count: m)
            need[m - 1] = 0
            for a in stride(from: m - 2, through: 0, by: -1) where far[a] > a { need[a] = 1 + need[far[a]] }
            guard need[0] <= maxLines else { return nil }
            // Lines that fit from each candidate, (to, width, hangs), measured down from far[a] as
            // far as a DP asks.
            var reach = [[(to: Int, width: Double, hangs: Bool)]](repeating: [], count: m)
            var lowest = far.map { $0 + 1 }
            func lines(from a: Int, linesLeft: Int) -> [(to: Int, width: Double, hangs: Bool)] {
                var b = lowest[a] - 1
                while b > a, need[b] <= linesLeft {
                    if let f = fit(cands[a].pos, cands[b].pos) { reach[a].append((b, f.width, f.hangs)) }
                    b -= 1
                }
                lowest[a] = b + 1
                return reach[a]
            }
            /// best[b][j]: the best way to set the text up to candidate b in j lines.
            func dp(lines total: Int, limit: Double?) -> [[(cost: Cost, from: Int)?]] {
                var best = [[(cost: Cost, from: Int)?]](repeating: Array(repeating: nil, count: total + 1), count: m)
                best[0][0] = (Cost(), -1)
                for a in 0..<(m - 1) {
                    for j in 0..<total {
                        guard let here = best[a][j], need[a] <= total - j else { continue }
                        for step in lines(from: a, linesLeft: total - j - 1) where need[step.to] <= total - j - 1 {
                            if let limit, step.width > limit { continue }
                            var c = here.cost
                            if step.hangs { c.hangs += 1 }
                            switch step.to < m - 1 ? cands[step.to].kind : nil {
                            case .character: c.characterBreaks += 1
                            case .url: c.urlBreaks += 1
                            case .discouraged: c.discouraged += 1
                            default: break
                            }
                            c.widest = max(c.widest, step.width)
                            if let limit { c.ragged += (limit - step.width) * (limit - step.width) }
                            // Ties go to the later start: earlier lines longer.
                            if let old = best[step.to][j + 1], c.compare(old.cost, byRagged: limit != nil) > 0 { continue }
                            best[step.to][j + 1] = (c, a)
                        }
                    }
                }
                return best
            }
            // The fewest lines, unless more lines avoid emergency breaks or hanging punctuation.
            let fewest = need[0]
            var target = (lines: fewest, cost: dp(lines: fewest, limit: nil)[m - 1][fewest]!.cost)
            func emergencies(_ c: Cost) -> [Int] { [c.characterBreaks, c.urlBreaks, c.hangs] }
            if fewest < maxLines, emergencies(target.cost).contains(where: { $0 > 0 }) {
                let all = dp(lines: maxLines, limit: nil)
                for j in (fewest + 1)...maxLines {
                    if let c = all[m - 1][j]?.cost, emergencies(c).lexicographicallyPrecedes(emergencies(target.cost)) {
                        target = (j, c)
                    }
                }
            }
            let limit = target.cost.widest + 1e-9 * max(1, target.cost.widest)
            let second = dp(lines: target.lines, limit: limit)
            var ends: [Int] = []
            var b = m - 1, j = target.lines
            while b > 0, let entry = second[b][j] {
                ends.append(b); b = entry.from; j -= 1
            }
            guard b == 0, j == 0 else { return nil }
            var lines: [String] = []
            var start = 0
            for e in ends.reversed() {
                lines.append(string(trimmed(cands[start].pos, cands[e].pos)))
                start = e
            }
            return lines
        }
    }
}
