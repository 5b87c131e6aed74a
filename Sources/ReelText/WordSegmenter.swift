import Foundation

/// Finds the words a caption line should not be broken inside: Chinese words by jieba's
/// method (every dictionary word starting at each Character forms a DAG; the path with the
/// highest product of word probabilities wins, unknown Characters counting as frequency 1;
/// no HMM guessing of unknown words, so an unknown pair stays breakable), plus every
/// occurrence of a lexicon entry that is not all Han ("Veo 3", "GPT-4o", "AI眼镜").
///
/// The dictionary is jieba's (`python3-jieba`, 349k words with frequencies), chosen over
/// friso by measurement (the issue-17 note): as good on the post's sentences, it loads in half
/// of friso's CPU time (0.09 s against 0.18 s), and it is plain data read by memory-safe code
/// rather than a C tokenizer fed untrusted subtitle text. Lexicon words (reel's own
/// `TechLexicon` and the user's `--lexicon`) are added with a high frequency.
public final class WordSegmenter: Sendable {
    /// The base dictionary, asked for only when a Han run is segmented: a render without
    /// Chinese text never reads it.
    private let source: @Sendable () -> (WordDictionary, path: String)?
    let extra: WordDictionary
    let literals: [[Character]]
    /// Where the base dictionary was read from (nil: none found; only lexicon words count).
    public var dictionaryPath: String? { source()?.path }

    /// The count given to lexicon words: far above any split's probability, so they stay whole.
    static let lexiconCount = 100_000

    public convenience init(dictionary: WordDictionary?, dictionaryPath: String = "", lexicon: [String]) {
        let base = dictionary.map { ($0, path: dictionaryPath) }
        self.init(source: { base }, lexicon: lexicon)
    }

    init(source: @escaping @Sendable () -> (WordDictionary, path: String)?, lexicon: [String]) {
        self.source = source
        var extra = WordDictionary(capacity: lexicon.count)
        var literals: [[Character]] = []
        for word in lexicon {
            let chars = Array(word)
            guard chars.count > 1 else { continue }
            if chars.allSatisfy(Self.isHan) { extra.add(word, count: Self.lexiconCount) } else { literals.append(chars) }
        }
        self.extra = extra
        self.literals = literals
    }

    /// jieba's dictionary, read once per process (it is ~5 MB).
    public static let systemDictionary: (WordDictionary, path: String)? = WordDictionary.system()

    /// The system dictionary with reel's lexicon and the user's words.
    public static func standard(userWords: [String] = []) -> WordSegmenter {
        WordSegmenter(source: { systemDictionary }, lexicon: TechLexicon.words + userWords)
    }

    /// Character ranges of `text` (in Characters) that are words of two or more Characters.
    public func words(in text: String) -> [Range<Int>] { words(in: Array(text)) }

    public func words(in chars: [Character]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let base = chars.contains(where: Self.isHan) ? source()?.0 : nil
        var i = 0
        while i < chars.count {
            guard Self.isHan(chars[i]) else { i += 1; continue }
            var e = i
            while e < chars.count, Self.isHan(chars[e]) { e += 1 }
            if e - i > 1 { result += segmentHan(chars[i..<e], base: base).filter { $0.count > 1 } }
            i = e
        }
        for word in literals where word.count <= chars.count {
            var s = 0
            while s + word.count <= chars.count {
                if chars[s] == word[0], chars[s..<(s + word.count)].elementsEqual(word) {
                    result.append(s..<(s + word.count)); s += word.count
                } else { s += 1 }
            }
        }
        return result.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Max-probability route over a run of Han Characters (absolute indices).
    func segmentHan(_ run: ArraySlice<Character>, base: WordDictionary?) -> [Range<Int>] {
        let s = run.startIndex, n = run.count
        // jieba's normaliser, log(total); lexicon words alone still need a sensible one.
        let logTotal = log(max(base?.total ?? 0, Double(Self.lexiconCount) * 100))
        let longest = max(base?.longestWord ?? 1, extra.longestWord)
        let utf8 = run.map { Array($0.utf8) }
        var best = [Double](repeating: 0, count: n + 1)
        var next = [Int](repeating: n, count: n + 1)
        for k in stride(from: n - 1, through: 0, by: -1) {
            var h = WordDictionary.fnvStart
            best[k] = -.infinity
            for len in 1...min(longest, n - k) {
                for b in utf8[k + len - 1] { h = WordDictionary.step(h, b) }
                let key = WordDictionary.finish(h)
                let f = max(base?.frequency(hash: key) ?? 0, extra.frequency(hash: key))
                guard len == 1 || f > 0 else { continue }
                let p = log(Double(max(f, 1))) - logTotal + best[k + len]
                if p >= best[k] { best[k] = p; next[k] = k + len }   // ties: the longer word (as jieba)
            }
        }
        var words: [Range<Int>] = []
        var k = 0
        while k < n { words.append((s + k)..<(s + next[k])); k = next[k] }
        return words
    }

    /// CJK Unified Ideographs (and extensions, compatibility ideographs, 〇).
    static func isHan(_ c: Character) -> Bool {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value else { return false }
        return (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0x20000...0x3FFFF).contains(v) || v == 0x3007
    }
}

/// Words from a lexicon file: one a line; blank lines and lines starting with `#` are skipped.
public enum Lexicon {
    public static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let w = line.trimmingCharacters(in: .whitespaces)
            return w.isEmpty || w.hasPrefix("#") ? nil : w
        }
    }
}
