import Foundation

/// A Chinese word list with frequencies (jieba's `dict.txt` format: `word freq [tag]` a line),
/// held as an open-addressing table of 64-bit word hashes: jieba's 349 046 words load in
/// about 0.1 s of CPU, half of what a `[String: Int]` of them takes (0.21 s). A 64-bit
/// hash collision among 350k words has a chance of about 3·10⁻⁹; the worst it could do is
/// keep a non-word whole in a caption line.
public struct WordDictionary: Sendable {
    /// Hash of each stored word (0 = empty slot) and its frequency.
    private var keys: [UInt64]
    private var counts: [UInt32]
    private var mask: Int
    public private(set) var count = 0
    /// Sum of all frequencies (jieba's `total`).
    public private(set) var total = 0.0
    /// The longest word, in Characters: longer substrings are not looked up.
    public private(set) var longestWord = 1

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        counts = [UInt32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Where jieba's dictionary is on Debian (`python3-jieba`); `REEL_WORD_DICTIONARY`
    /// overrides it.
    public static let systemPaths = ["/usr/lib/python3/dist-packages/jieba/dict.txt", "/usr/share/jieba/dict.txt"]

    /// jieba's dictionary from the first of `paths` that exists (nil when none does).
    public static func system(paths: [String] = systemPaths) -> (WordDictionary, path: String)? {
        var candidates = paths
        if let env = ProcessInfo.processInfo.environment["REEL_WORD_DICTIONARY"], !env.isEmpty { candidates.insert(env, at: 0) }
        for p in candidates {
            if let data = FileManager.default.contents(atPath: p) { return (WordDictionary(jiebaData: data), p) }
        }
        return nil
    }

    /// Parses `word freq [tag]` lines; lines without a frequency count 1, malformed lines
    /// are skipped (the file is read-only system data, never an error).
    public init(jiebaData data: Data) {
        self.init(capacity: max(16, data.count / 14))
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            let n = b.count
            var i = 0
            while i < n {
                let s = i
                while i < n, b[i] != 0x20, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x09 { i += 1 }
                let e = i
                var freq = 0, digits = 0
                if i < n, b[i] == 0x20 || b[i] == 0x09 {
                    i += 1
                    while i < n, b[i] >= 0x30, b[i] <= 0x39, digits < 9 { freq = freq * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
                }
                while i < n, b[i] != 0x0A { i += 1 }
                i += 1
                guard e > s else { continue }
                let word = UnsafeBufferPointer(rebasing: b[s..<e])
                insert(hash: Self.hash(word), count: digits == 0 ? 1 : freq, characters: Self.characterCount(word))
            }
        }
    }

    /// Adds a word (user lexicon): at least as likely as the most frequent word of its length
    /// would need, so a segmentation keeps it whole.
    public mutating func add(_ word: String, count c: Int) {
        var w = word
        let h = w.withUTF8 { Self.hash($0) }
        guard !word.isEmpty else { return }
        insert(hash: h, count: c, characters: word.count, replace: true)
    }

    public func frequency(_ word: Substring) -> Int {
        var w = String(word)
        return w.withUTF8 { lookup(Self.hash($0)) }
    }

    private func lookup(_ h: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: h) & mask
        while keys[slot] != 0 {
            if keys[slot] == h { return Int(counts[slot]) }
            slot = (slot + 1) & mask
        }
        return 0
    }

    private mutating func insert(hash h: UInt64, count c: Int, characters: Int, replace: Bool = false) {
        if (count + 1) * 2 > keys.count { grow() }
        var slot = Int(truncatingIfNeeded: h) & mask
        while keys[slot] != 0, keys[slot] != h { slot = (slot + 1) & mask }
        let value = UInt32(clamping: max(c, 0))
        if keys[slot] == h {
            let kept = replace ? value : max(value, counts[slot])
            total += Double(kept) - Double(counts[slot])
            counts[slot] = kept
        } else {
            keys[slot] = h; counts[slot] = value; count += 1; total += Double(value)
        }
        longestWord = max(longestWord, min(characters, 32))
    }

    private mutating func grow() {
        let oldKeys = keys, oldCounts = counts
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        counts = [UInt32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (k, c) in zip(oldKeys, oldCounts) where k != 0 {
            var slot = Int(truncatingIfNeeded: k) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = k; counts[slot] = c
        }
    }

    /// FNV-1a over the bytes, then `finish`.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = fnvStart
        for b in bytes { h = step(h, b) }
        return finish(h)
    }

    static let fnvStart: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    /// A final mix so the low bits (the slot) depend on every byte; never 0 (the empty slot).
    @inline(__always) static func finish(_ h: UInt64) -> UInt64 {
        var h = h
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        return h == 0 ? 1 : h
    }

    /// The frequency of a word given by its finished hash (see `hash`).
    func frequency(hash h: UInt64) -> Int { lookup(h) }

    /// Characters in UTF-8 bytes, counting lead bytes (enough for the longest-word bound).
    static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.reduce(0) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
    }
}
