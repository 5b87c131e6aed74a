import Foundation

extension SubtitleReader {
    /// Two single-language files merged by time.
    ///
    /// - Each English cue is given to the Chinese cue it overlaps most (ties: the earlier
    ///   Chinese cue); a Chinese cue takes the English text of all English cues given to it,
    ///   in time order, joined with "\n".
    /// - A Chinese cue that was given none but is covered for at least half its length by one
    ///   English cue (a long English sentence split into two Chinese lines) shows that
    ///   English cue's text too.
    /// - English cues that overlap no Chinese cue (touching ends do not overlap) become cues
    ///   of their own.
    /// - The English text of an English cue is its `english` side; if that is empty (the
    ///   "English" file has only CJK lines) its `chinese` side is used, so no text is lost.
    ///   English text a Chinese cue already had comes first.
    /// - Timing and `line` come from the Chinese cue. The result is sorted by start (stable).
    public static func merge(chinese: [Cue], english: [Cue]) -> [Cue] {
        let zh = stableSorted(chinese)
        let en = stableSorted(english)
        guard !en.isEmpty else { return zh }
        // Prefix maxima of Chinese end times: a binary search skips cues that end too early.
        var maxEnd: [Double] = []
        maxEnd.reserveCapacity(zh.count)
        for cue in zh { maxEnd.append(Swift.max(maxEnd.last ?? -Double.infinity, cue.end)) }

        var given = [[Int]](repeating: [], count: zh.count)
        var widest = [(english: Int, overlap: Double)?](repeating: nil, count: zh.count)
        var result: [Cue] = []
        for (e, cue) in en.enumerated() {
            var low = 0, high = zh.count          // first Chinese cue with maxEnd > cue.start
            while low < high {
                let mid = (low + high) / 2
                if maxEnd[mid] > cue.start { high = mid } else { low = mid + 1 }
            }
            var best: (chinese: Int, overlap: Double)? = nil
            var c = low
            while c < zh.count, zh[c].start < cue.end {
                let overlap = Swift.min(zh[c].end, cue.end) - Swift.max(zh[c].start, cue.start)
                if overlap > 0 {
                    if overlap > (best?.overlap ?? 0) { best = (c, overlap) }
                    if overlap > (widest[c]?.overlap ?? 0) { widest[c] = (e, overlap) }
                }
                c += 1
            }
            if let best { given[best.chinese].append(e) } else { result.append(cue) }
        }
        for (c, cue) in zh.enumerated() {
            var indices = given[c]
            if indices.isEmpty, let w = widest[c], w.overlap >= 0.5 * (cue.end - cue.start) { indices = [w.english] }
            var texts = cue.english.isEmpty ? [] : [cue.english]
            for e in indices {
                let text = en[e].english.isEmpty ? en[e].chinese : en[e].english
                if !text.isEmpty { texts.append(text) }
            }
            var merged = cue
            merged.english = texts.joined(separator: "\n")
            result.append(merged)
        }
        return stableSorted(result)
    }
}
