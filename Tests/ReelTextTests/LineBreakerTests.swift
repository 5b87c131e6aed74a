import XCTest
@testable import ReelText

/// Widths in "Han units": Han and other full-width Characters (CJK punctuation, full-width
/// forms, curly quotes, ellipsis, emoji) are 1.0, everything else 0.55.
private func lbTestWidth(_ c: Character) -> Double {
    guard let v = c.unicodeScalars.first?.value else { return 0 }
    switch v {
    case 0x1100...0x11FF, 0x2E80...0xA4CF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x1F000...0x1FAFF, 0x20000...0x3FFFF, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026:
        return 1.0
    default:
        return 0.55
    }
}

private func lbTestMeasure(_ s: String) -> Double { s.reduce(0) { $0 + lbTestWidth($1) } }

final class LineBreakerTests: XCTestCase {
    // Real sentences from the Veo 3 example.
    static let zh1 = "卡帕西说：视频第一次可以被直接优化了。"
    static let zh2 = "TikTok跟可能实现的相比根本不算什么！"
    static let zh3 = "Veo 3加上音频，效果有了质的飞跃（真的）。"
    static let zh4 = "Veo 3加上音频让视频质变"
    static let en1 = "Video is the highest bandwidth input to brain."
    static let en2 = "For the first time, video is directly optimizable."
    static let en3 = "The barrier to creating videos is -> 0."
    static let url = "https://x.com/karpathy/status/1929597620969951434"
    static let emoji = "太强了🔥🔥 AI视频"
    static let longWord = "Pneumonoultramicroscopicsilicovolcanoconiosis is long."

    /// From the brief, independent of the implementation's tables.
    static let forbiddenStart = Set("，。！？、；：”’）》」』】〕〉…‥·%‰～,.!?;:)]}ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
    static let forbiddenEnd = Set("“‘（《「『【〔〈([{")
    /// Hanging tolerance: one closing punctuation Character may stick out past maxWidth, as long
    /// as the line without it fits.
    static let hangable = Set("，。！？、；：”’）》」』】〕〉…‥·%～,.!?;:)]}\"'")

    static func isLatin(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// Where each line starts in `text` (Character offsets), checking the lines are the text
    /// in order with only whitespace dropped between them.
    func starts(of lines: [String], in text: String, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        let chars = Array(text)
        var i = 0, result: [Int] = []
        for l in lines {
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            result.append(i)
            let lc = Array(l)
            guard i + lc.count <= chars.count, Array(chars[i..<(i + lc.count)]) == lc else {
                XCTFail("line \"\(l)\" is not the text at \(i) in \"\(text)\"", file: file, line: line)
                return result
            }
            i += lc.count
        }
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        XCTAssertEqual(i, chars.count, "lines \(lines) cover all of \"\(text)\"", file: file, line: line)
        return result
    }

    /// Every rule that holds for any layout; `oversized` are words that may be split.
    func checkRules(_ lines: [String], text: String, maxWidth: Double, maxLines: Int, oversized: [String] = [],
                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(lines.count, maxLines, file: file, line: line)
        let chars = Array(text)
        let begin = starts(of: lines, in: text, file: file, line: line)
        for (k, l) in lines.enumerated() {
            let ctx = "line \(k) \"\(l)\" of \(lines) at maxWidth \(maxWidth)"
            XCTAssertFalse(l.isEmpty, ctx, file: file, line: line)
            XCTAssertFalse(l.first?.isWhitespace ?? false, "leading space: " + ctx, file: file, line: line)
            XCTAssertFalse(l.last?.isWhitespace ?? false, "trailing space: " + ctx, file: file, line: line)
            let w = lbTestMeasure(l)
            if w > maxWidth + 1e-9 {
                XCTAssertTrue(Self.hangable.contains(l.last!) && lbTestMeasure(String(l.dropLast())) <= maxWidth + 1e-9,
                              "too wide (\(w)): " + ctx, file: file, line: line)
            }
            if k > 0 {
                XCTAssertFalse(Self.forbiddenStart.contains(l.first!), "starts with punctuation: " + ctx, file: file, line: line)
                // The break between line k-1 and k.
                let p = begin[k]
                if Self.isLatin(chars[p - 1]) && Self.isLatin(chars[p]) {
                    let word = Self.word(around: p, in: chars)
                    XCTAssertTrue(oversized.contains(word) && lbTestMeasure(word) > maxWidth,
                                  "word \"\(word)\" split: " + ctx, file: file, line: line)
                }
            }
            if k < lines.count - 1 {
                XCTAssertFalse(Self.forbiddenEnd.contains(l.last!), "ends with opening punctuation: " + ctx, file: file, line: line)
            }
        }
    }

    static func word(around p: Int, in chars: [Character]) -> String {
        var s = p, e = p
        while s > 0, isLatin(chars[s - 1]) { s -= 1 }
        while e < chars.count, isLatin(chars[e]) { e += 1 }
        return String(chars[s..<e])
    }

    func layout(_ text: String, _ maxWidth: Double, _ maxLines: Int, language: String? = nil) -> [String]? {
        LineBreaker(language: language).layout(text, maxWidth: maxWidth, maxLines: maxLines, measure: lbTestMeasure)
    }

    // MARK: opportunities

    func testOpportunitiesChineseKeepPunctuationWithText() {
        let ops = LineBreaker(language: "zh").opportunities(in: Self.zh1)
        XCTAssertEqual(ops.map(\.index), [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17])
        XCTAssertTrue(ops.allSatisfy { !$0.mandatory })
        // No break before "：" (index 4) or before "。" (index 18); the end (19) is not listed.
        XCTAssertFalse(ops.contains { $0.index == 4 || $0.index == 18 || $0.index == 19 })
    }

    func testOpportunitiesMixedScriptsBreakBetweenHanAndAtSpaces() {
        let ops = LineBreaker(language: "zh").opportunities(in: Self.zh4).map(\.index)
        // "Veo 3加上音频让视频质变": after "Veo " (4), after "3" (5), then between Han.
        XCTAssertEqual(ops, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        let en = LineBreaker(language: "en").opportunities(in: Self.en2).map(\.index)
        XCTAssertEqual(en, [4, 8, 14, 20, 26, 29, 38])   // after each space only
    }

    func testOpportunitiesMandatoryNewline() {
        let ops = LineBreaker().opportunities(in: "第一行\n第二行")
        XCTAssertEqual(ops, [BreakOpportunity(index: 1, mandatory: false), BreakOpportunity(index: 2, mandatory: false),
                             BreakOpportunity(index: 4, mandatory: true), BreakOpportunity(index: 5, mandatory: false),
                             BreakOpportunity(index: 6, mandatory: false)])
        XCTAssertEqual(LineBreaker().opportunities(in: "a\r\nb"), [BreakOpportunity(index: 2, mandatory: true)])
    }

    func testOpportunitiesNeverInsideGraphemeClusters() {
        // Emoji with skin tone, a ZWJ family, a combining accent: indices count Characters.
        let text = "好👍🏽👨‍👩‍👧é\u{301}x 🔥🔥 AI"
        let ops = LineBreaker(language: "zh").opportunities(in: text).map(\.index)
        XCTAssertEqual(Array(text).count, 11)
        XCTAssertEqual(ops, [1, 2, 3, 6, 7, 9])   // 好|👍🏽|👨‍👩‍👧|é́x |🔥|🔥 |AI
        let emoji = LineBreaker(language: "zh").opportunities(in: Self.emoji).map(\.index)
        XCTAssertEqual(emoji, [1, 2, 3, 4, 6, 8, 9])   // 太|强|了|🔥|🔥 |AI|视|频
    }

    func testOpportunitiesNoBreakInsideURLArrowOrApostrophe() {
        XCTAssertEqual(LineBreaker(language: "en").opportunities(in: Self.url), [])
        XCTAssertEqual(LineBreaker(language: "zh").opportunities(in: "don’t it's").map(\.index), [6])
        // "->" stays one piece: breaks only after the spaces.
        XCTAssertEqual(LineBreaker(language: "en").opportunities(in: "is -> 0.").map(\.index), [3, 6])
    }

    func testURLDetection() {
        func urls(_ text: String) -> [String] {
            let chars = Array(text)
            return LineBreaker.urlRanges(chars, LineBreaker.traits(chars)).map { String(chars[$0]) }
        }
        XCTAssertEqual(urls("原帖：https://x.com/karpathy/status/1929597620969951434。"), [Self.url])
        XCTAssertEqual(urls("see (x.com/karpathy), and WWW.Example.org!"), ["x.com/karpathy", "WWW.Example.org"])
        XCTAssertEqual(urls("and/or 3.5/5 e.g. foo.c/bar Veo 3"), [])
        XCTAssertEqual(LineBreaker(language: "en").opportunities(in: "see x.com/karpathy now").map(\.index), [4, 19])
    }

    func testOpportunitiesKinsoku() {
        let b = LineBreaker(language: "zh")
        // Nothing before a closing mark, nothing after an opening one.
        for text in ["他说：“你好”（真的）《书》「引」", "真的吗？！……是的——好，「对」。ー々", "a (b) \"c\" d, e."] {
            let chars = Array(text)
            for op in b.opportunities(in: text) {
                XCTAssertFalse(Self.forbiddenStart.contains(chars[op.index]), "\(text) breaks before \(chars[op.index])")
                XCTAssertFalse(Self.forbiddenEnd.contains(chars[op.index - 1]), "\(text) breaks after \(chars[op.index - 1])")
            }
        }
        // An opening ASCII quote after a space may start a line, a closing one may not.
        let quoted = Array("say \"hi\" now")
        let ops = b.opportunities(in: String(quoted)).map(\.index)
        XCTAssertEqual(ops, [4, 9])
    }

    func testDiscouragedBreaks() {
        let b = LineBreaker(language: "en")
        for (text, p) in [("Veo 3加上音频", 4), ("is -> 0.", 6), ("30 fps video", 3), ("state-of-the-art", 6), ("GPT 4o is", 4)] {
            let a = b.analyze(Array(text))
            XCTAssertEqual(a.kinds[p], .discouraged, "\(text) at \(p)")
        }
        XCTAssertEqual(b.analyze(Array("Veo 3加上音频")).kinds[5], .allowed)
        XCTAssertEqual(b.analyze(Array("Veo is")).kinds[4], .allowed)
        XCTAssertEqual(b.analyze(Array("Veo 12345 is")).kinds[4], .allowed, "a long number is not a short one")
    }

    // MARK: layout of the example sentences

    func testChineseSentencesBalancedInTwoLines() throws {
        for text in [Self.zh1, Self.zh2, Self.zh3, Self.zh4] {
            let total = lbTestMeasure(text)
            let maxWidth = min(12, total * 0.7)
            let lines = try XCTUnwrap(layout(text, maxWidth, 2, language: "zh"), text)
            XCTAssertEqual(lines.count, 2, "\(lines)")
            checkRules(lines, text: text, maxWidth: maxWidth, maxLines: 2)
            let w = lines.map(lbTestMeasure)
            XCTAssertLessThanOrEqual(abs(w[0] - w[1]), 2.0, "balanced: \(lines) \(w)")
            XCTAssertLessThanOrEqual(w.max()!, total / 2 + 1.0, "\(lines)")
        }
        XCTAssertEqual(layout(Self.zh1, 12, 2, language: "zh"), ["卡帕西说：视频第一次", "可以被直接优化了。"])
        XCTAssertEqual(layout(Self.zh2, 12, 2, language: "zh"), ["TikTok跟可能实现的", "相比根本不算什么！"])
        XCTAssertEqual(layout(Self.zh3, 12, 2, language: "zh"), ["Veo 3加上音频，效果有", "了质的飞跃（真的）。"])
    }

    func testOddSplitPutsTheLongerLineFirst() {
        // 9 Han: 5 + 4, not 4 + 5.
        XCTAssertEqual(layout("一二三四五六七八九", 6, 2), ["一二三四五", "六七八九"])
        // 3 lines of 11: 4 4 3.
        XCTAssertEqual(layout("一二三四五六七八九十甲", 4, 3), ["一二三四", "五六七八", "九十甲"])
    }

    func testBalancedNotGreedy() {
        // Greedy fill would take "For the first time, video is" (15.4) and leave 11.55.
        let lines = layout(Self.en2, 16, 2, language: "en")
        XCTAssertEqual(lines, ["For the first time, video", "is directly optimizable."])
        XCTAssertEqual(layout(Self.en1, 14, 2, language: "en"), ["Video is the highest", "bandwidth input to brain."])
        // One line when it fits.
        XCTAssertEqual(layout(Self.en2, 40, 2, language: "en"), [Self.en2])
    }

    func testEnglishWordsAreNeverSplit() throws {
        for text in [Self.en1, Self.en2, Self.en3] {
            for maxWidth in stride(from: 7.0, through: 30, by: 0.5) {
                for maxLines in 1...4 {
                    guard let lines = layout(text, maxWidth, maxLines, language: "en") else { continue }
                    checkRules(lines, text: text, maxWidth: maxWidth, maxLines: maxLines)
                    XCTAssertEqual(lines.joined(separator: " "), text, "breaks only at spaces")
                }
            }
        }
    }

    func testArrowKeepsItsNumber() {
        for maxWidth in stride(from: 3.0, through: 22, by: 0.25) {
            for maxLines in 1...6 {
                guard let lines = layout(Self.en3, maxWidth, maxLines, language: "en") else { continue }
                checkRules(lines, text: Self.en3, maxWidth: maxWidth, maxLines: maxLines, oversized: ["creating", "barrier", "videos"])
                XCTAssertFalse(lines.dropLast().contains { $0.hasSuffix("->") }, "\(lines) at \(maxWidth)")
            }
        }
        XCTAssertEqual(layout(Self.en3, 13, 2, language: "en"), ["The barrier to creating", "videos is -> 0."])
    }

    func testVeoKeepsItsNumberWhenPossible() {
        // Balance alone would break after "Veo" (5.2 | 4.55); the soft non-break moves it after "3".
        XCTAssertEqual(layout("这就是Veo 3加上音频", 6, 2, language: "zh"), ["这就是Veo 3", "加上音频"])
        // When nothing else fits, the soft non-break gives way.
        XCTAssertEqual(layout("这就是Veo 3加上音频", 5.3, 2, language: "zh"), ["这就是Veo", "3加上音频"])
        for maxWidth in stride(from: 6.0, through: 20, by: 0.25) {
            guard let lines = layout(Self.zh3, maxWidth, 3, language: "zh") else { continue }
            checkRules(lines, text: Self.zh3, maxWidth: maxWidth, maxLines: 3)
            XCTAssertFalse(lines.contains { $0.hasSuffix("Veo") }, "\(lines) at \(maxWidth)")
        }
    }

    func testURLBreaksOnlyAfterSeparatorsWhenTooLong() throws {
        XCTAssertEqual(layout(Self.url, 30, 3, language: "en"), [Self.url])
        let lines = try XCTUnwrap(layout(Self.url, 12, 3, language: "en"))
        XCTAssertEqual(lines, ["https://x.com/", "karpathy/status/", "1929597620969951434"])
        XCTAssertEqual(lines.joined(), Self.url)
        for l in lines.dropLast() { XCTAssertTrue("/.-?".contains(l.last!), "\(lines)") }
        for l in lines { XCTAssertLessThanOrEqual(lbTestMeasure(l), 12) }
        // A URL that fits on a line of its own is not broken; it moves to the next line.
        let text = "原帖：" + Self.url
        let moved = try XCTUnwrap(layout(text, 28, 2, language: "zh"))
        XCTAssertEqual(moved, ["原帖：", Self.url])
        // Too narrow for the 19-digit id: only then does it break between Characters.
        let narrow = try XCTUnwrap(layout(Self.url, 6, 6, language: "en"))
        XCTAssertEqual(narrow.joined(), Self.url)
        XCTAssertTrue(narrow.allSatisfy { lbTestMeasure($0) <= 6 }, "\(narrow)")
        XCTAssertTrue(narrow.contains("https://"), "\(narrow)")
    }

    func testOversizedWordBreaksBetweenCharactersOnlyThen() throws {
        let lines = try XCTUnwrap(layout(Self.longWord, 10, 4, language: "en"))
        checkRules(lines, text: Self.longWord, maxWidth: 10, maxLines: 4, oversized: ["Pneumonoultramicroscopicsilicovolcanoconiosis"])
        XCTAssertEqual(lines.count, 3)
        // "is" and "long." are not split even though the line is narrow.
        XCTAssertTrue(lines.last!.hasSuffix("is long."), "\(lines)")
        // A word that fits alone is never split: it moves down instead.
        XCTAssertEqual(layout("a optimizable", 7, 2, language: "en"), ["a", "optimizable"])
        XCTAssertNil(layout("a optimizable", 7, 1, language: "en"))
    }

    func testEmojiSentence() throws {
        for maxWidth in stride(from: 2.0, through: 12, by: 0.5) {
            for maxLines in 1...5 {
                guard let lines = layout(Self.emoji, maxWidth, maxLines, language: "zh") else { continue }
                checkRules(lines, text: Self.emoji, maxWidth: maxWidth, maxLines: maxLines)
                XCTAssertFalse(lines.contains { $0.hasSuffix("A") }, "AI split: \(lines)")
            }
        }
        XCTAssertEqual(layout(Self.emoji, 5, 2, language: "zh"), ["太强了🔥", "🔥 AI视频"])
        let family = "👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧"
        let lines = try XCTUnwrap(layout(family, 2, 2))
        XCTAssertEqual(lines, ["👨‍👩‍👧👨‍👩‍👧", "👨‍👩‍👧👨‍👩‍👧"])
    }

    // MARK: punctuation

    func testKinsokuPullsTheCharacterDownOrHangs() {
        // Balance wants 一二三「 | 四五六七; the opening bracket stays with what it opens.
        XCTAssertEqual(layout("一二三「四五六七", 5, 2), ["一二三「四", "五六七"])
        XCTAssertEqual(layout("一二三四」五六七", 5, 2), ["一二三四」", "五六七"])
        // "一二三四五" fills the line and "。" may not start the next one: with 3 lines the
        // previous Character comes down, with 2 the full stop hangs past the edge.
        XCTAssertEqual(layout("一二三四五。六七八九", 5, 3), ["一二三四", "五。六", "七八九"])
        XCTAssertEqual(layout("一二三四五。六七八九", 5, 2), ["一二三四五。", "六七八九"])
        // One line only if hanging works.
        XCTAssertEqual(layout(Self.zh1, 18, 1, language: "zh"), [Self.zh1])
        XCTAssertNil(layout(Self.zh1, 17.5, 1, language: "zh"))
    }

    func testAllExampleSentencesAcrossWidths() {
        let all = [Self.zh1, Self.zh2, Self.zh3, Self.zh4, Self.en1, Self.en2, Self.en3, Self.emoji,
                   "他说：“视频是大脑带宽最高的输入。”（卡帕西）", "真的吗？！……是的——好，「对」。"]
        for text in all {
            for maxWidth in stride(from: 3.0, through: 25, by: 0.5) {
                for maxLines in 1...5 {
                    guard let lines = layout(text, maxWidth, maxLines, language: "zh") else { continue }
                    checkRules(lines, text: text, maxWidth: maxWidth, maxLines: maxLines,
                               oversized: ["TikTok", "Video", "highest", "bandwidth", "input", "brain", "first", "time",
                                           "video", "directly", "optimizable", "barrier", "creating", "videos", "The", "For",
                                           "the", "Veo", "AI"])
                }
            }
        }
    }

    // MARK: limits

    func testNilWhenMoreLinesNeeded() {
        XCTAssertNil(layout(Self.zh1, 5, 2, language: "zh"))
        XCTAssertNil(layout(Self.en1, 10, 2, language: "en"))
        XCTAssertNil(layout(Self.zh1, 100, 0, language: "zh"))
        XCTAssertNotNil(layout(Self.zh1, 5, 4, language: "zh"))
        XCTAssertEqual(layout("   ", 10, 2), [])
    }

    func testMandatoryNewlineRespected() {
        XCTAssertEqual(layout("第一行\n第二行比较长一些", 12, 3, language: "zh"), ["第一行", "第二行比较长一些"])
        XCTAssertEqual(layout("第一行\n第二行比较长一些", 5, 3, language: "zh"), ["第一行", "第二行比", "较长一些"])
        XCTAssertNil(layout("第一行\n第二行", 20, 1, language: "zh"))
        XCTAssertEqual(layout("Video is\r\nthe highest", 30, 2, language: "en"), ["Video is", "the highest"])
        XCTAssertEqual(layout("\n  第一行  \n", 30, 1), ["第一行"])
    }

    func testDeterministic() {
        for text in [Self.zh1, Self.zh3, Self.en2, Self.emoji, Self.url] {
            let a = layout(text, 9, 4, language: "zh")
            for _ in 0..<5 { XCTAssertEqual(layout(text, 9, 4, language: "zh"), a) }
            XCTAssertEqual(LineBreaker(language: "zh").opportunities(in: text), LineBreaker(language: "zh").opportunities(in: text))
        }
    }

    func testMeasuresFewTrimmedSubstrings() {
        let text = "卡帕西说：视频第一次可以被直接优化了。TikTok跟可能实现的相比根本不算什么！Veo 3加上音频。"
        XCTAssertGreaterThanOrEqual(text.count, 50)
        for (maxWidth, maxLines, bound) in [(30.0, 2, 5 * text.count), (18, 4, 8 * text.count), (10, 8, text.count * text.count / 2)] {
            var calls = 0
            let lines = LineBreaker(language: "zh").layout(text, maxWidth: maxWidth, maxLines: maxLines) { s in
                calls += 1
                XCTAssertTrue(text.contains(s), s)
                XCTAssertFalse(s.first?.isWhitespace ?? false || s.last?.isWhitespace ?? false, s)
                return lbTestMeasure(s)
            }
            XCTAssertNotNil(lines)
            XCTAssertLessThanOrEqual(calls, bound, "\(maxWidth) \(maxLines)")
        }
    }

    /// The DP against every subset of break candidates on short texts: same cost.
    func testMatchesExhaustiveSearch() {
        let texts = ["一二三四五。六七八九", "一二三「四五六七", "这就是Veo 3加上音频", "太强了🔥🔥 AI视频", "Video is the highest bandwidth",
                     "卡帕西说：视频第一次", "is -> 0. ok", "Pneumonoultramicro is", "第一行\n第二行比较长", "x.com/a https://x.com/ab/c"]
        var checked = 0
        defer { XCTAssertGreaterThan(checked, 300) }
        for text in texts {
            for maxWidth in stride(from: 1.5, through: 12, by: 0.5) {
                for maxLines in 1...4 {
                    let got = layout(text, maxWidth, maxLines)
                    guard let want = Self.exhaustive(text, maxWidth, maxLines) else { continue }
                    XCTAssertEqual(got == nil, want.lines.isEmpty, "\(text) \(maxWidth) \(maxLines): \(String(describing: got))")
                    guard let got, !want.lines.isEmpty else { continue }
                    checked += 1
                    let g = Self.score(got, text, maxWidth)
                    XCTAssertEqual(g.key, want.key, "\(text) \(maxWidth) \(maxLines): \(got) vs \(want.lines)")
                    XCTAssertEqual(g.widest, want.widest, accuracy: 1e-9, "\(text) \(maxWidth) \(maxLines): \(got) vs \(want.lines)")
                    XCTAssertEqual(g.ragged, want.ragged, accuracy: 1e-6, "\(text) \(maxWidth) \(maxLines): \(got) vs \(want.lines)")
                }
            }
        }
    }

    typealias Score = (key: [Int], widest: Double, ragged: Double, lines: [String])

    /// (emergency Character breaks, URL breaks, hanging lines, lines, discouraged breaks), widest, raggedness.
    static func score(_ lines: [String], _ text: String, _ maxWidth: Double) -> Score {
        let chars = Array(text)
        var engine = LineBreaker.LayoutEngine(chars: chars, analysis: LineBreaker().analyze(chars), maxWidth: maxWidth, measure: lbTestMeasure)
        let kinds = Dictionary(uniqueKeysWithValues: engine.candidates().map { ($0.pos, $0.kind) })
        var key = [0, 0, 0, lines.count, 0]
        var i = 0
        for (k, l) in lines.enumerated() {
            while chars[i].isWhitespace { i += 1 }
            if k > 0 {   // the break before this line
                switch kinds[i] {
                case .character?: key[0] += 1
                case .url?: key[1] += 1
                case .discouraged?: key[4] += 1
                default: break
                }
            }
            i += l.count
            if lbTestMeasure(l) > maxWidth { key[2] += 1 }
        }
        let widths = lines.map(lbTestMeasure)
        let widest = widths.max() ?? 0
        return (key, widest, widths.reduce(0) { $0 + (widest - $1) * (widest - $1) }, lines)
    }

    static func exhaustive(_ text: String, _ maxWidth: Double, _ maxLines: Int) -> Score? {
        let chars = Array(text)
        var engine = LineBreaker.LayoutEngine(chars: chars, analysis: LineBreaker().analyze(chars), maxWidth: maxWidth, measure: lbTestMeasure)
        let cands = engine.candidates()
        let m = cands.count
        guard m - 2 <= 14 else { return nil }
        // Every line from candidate i to candidate k: nil when it does not fit, else (width, hangs).
        var fits = [[(width: Double, hangs: Bool)?]](repeating: Array(repeating: nil, count: m), count: m)
        for i in 0..<m { for k in (i + 1)..<m { fits[i][k] = engine.fit(cands[i].pos, cands[k].pos) } }
        var best: Score? = nil
        var bestEnds: [Int] = []
        for mask in 0..<(1 << (m - 2)) {
            let ends = (1..<(m - 1)).filter { mask & (1 << ($0 - 1)) != 0 } + [m - 1]
            guard ends.count <= maxLines else { continue }
            if (1..<(m - 1)).contains(where: { cands[$0].kind == .mandatory && !ends.contains($0) }) { continue }
            var key = [0, 0, 0, ends.count, 0], widths: [Double] = [], start = 0, ok = true
            for e in ends {
                guard let f = fits[start][e] else { ok = false; break }
                widths.append(f.width)
                if f.hangs { key[2] += 1 }
                switch e < m - 1 ? cands[e].kind : nil {
                case .character?: key[0] += 1
                case .url?: key[1] += 1
                case .discouraged?: key[4] += 1
                default: break
                }
                start = e
            }
            guard ok else { continue }
            let widest = widths.max()!
            let s: Score = (key, widest, widths.reduce(0) { $0 + (widest - $1) * (widest - $1) }, [])
            if let b = best {
                if s.key.lexicographicallyPrecedes(b.key) { best = s; bestEnds = ends; continue }
                guard s.key == b.key else { continue }
                if s.widest < b.widest - 1e-9 || (abs(s.widest - b.widest) <= 1e-9 && s.ragged < b.ragged - 1e-9) { best = s; bestEnds = ends }
            } else {
                best = s; bestEnds = ends
            }
        }
        guard var result = best else { return ([], 0, 0, []) }   // no lines: nothing fits
        var start = 0
        for e in bestEnds { result.lines.append(String(chars[engine.trimmed(cands[start].pos, cands[e].pos)])); start = e }
        return result
    }

    func testSixtyCharacterLayoutIsFast() {
        let text = String((Self.zh1 + Self.zh2 + Self.zh3 + "视频").prefix(60))
        XCTAssertEqual(text.count, 60)
        let b = LineBreaker(language: "zh")
        _ = b.layout(text, maxWidth: 20, maxLines: 4, measure: lbTestMeasure)   // warm up
        var n = 0, calls = 0
        let start = Date()
        for maxWidth in stride(from: 12.0, through: 31, by: 1) {
            for maxLines in [2, 3, 6] {
                n += 1
                let lines = b.layout(text, maxWidth: maxWidth, maxLines: maxLines) { calls += 1; return lbTestMeasure($0) }
                if maxWidth * Double(maxLines) >= 70 { XCTAssertNotNil(lines, "\(maxWidth) \(maxLines)") }
            }
        }
        let perCall = Date().timeIntervalSince(start) / Double(n)
        print("layout of 60 Characters: \(perCall * 1000) ms and \(calls / n) measure calls per layout")
        #if DEBUG
        XCTAssertLessThan(perCall, 0.02, "\(perCall * 1000) ms per layout (debug build)")
        #else
        XCTAssertLessThan(perCall, 0.001, "\(perCall * 1000) ms per layout")
        #endif
    }
}
