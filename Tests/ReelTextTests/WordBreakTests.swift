import XCTest
@testable import ReelText

/// Chinese captions break between words: real sentences (the post's four points and closing
/// paragraph, news-style and chat-style sentences) laid out at many widths. The words that
/// must stay whole are listed by hand here, not taken from the segmenter.
final class WordBreakTests: XCTestCase {
    /// Han and full-width punctuation 1.0, anything else 0.55 (as LineBreakerTests).
    static func measure(_ s: String) -> Double {
        s.reduce(0) { w, c in
            let v = c.unicodeScalars.first!.value
            return w + ((0x2E80...0xFFEF).contains(v) || v >= 0x20000 || [0x201C, 0x201D, 0x2026].contains(v) ? 1.0 : 0.55)
        }
    }

    /// (sentence, words never to be split)
    static let sentences: [(String, [String])] = [
        // Karpathy's four points and closing paragraph, in Chinese.
        ("一，视频是带宽最高的大脑输入；", ["视频", "带宽", "最高", "大脑", "输入"]),
        ("二，视频是最轻松的输入，人人都爱看视频；", ["视频", "轻松", "输入", "人人"]),
        ("三，做视频的门槛正在趋近于零；", ["视频", "门槛", "正在", "趋近"]),
        ("四，视频第一次可以被直接优化了。", ["视频", "第一次", "可以", "直接", "优化"]),
        ("以前平台只能在人拍的视频里挑选，现在视频由神经网络生成，整个过程可微，可以用梯度下降直接优化互动率。",
         ["以前", "平台", "只能", "挑选", "现在", "视频", "神经网络", "生成", "整个", "过程", "可微", "梯度下降", "直接", "优化", "互动率"]),
        ("抖音跟可能实现的东西比起来，根本不算什么！我不确定我们会喜欢“最优”的样子。",
         ["抖音", "可能", "实现", "东西", "起来", "根本", "不算", "什么", "确定", "我们", "喜欢", "最优", "样子"]),
        // News style.
        ("国家统计局今天发布数据，前三季度国内生产总值同比增长百分之五点二，消费成为主要动力。",
         ["国家统计局", "今天", "发布", "数据", "三季度", "国内", "生产总值", "同比", "增长", "消费", "成为", "主要", "动力"]),
        ("多家大模型公司本周发布视频生成产品，业内人士认为竞争将更加激烈。",
         ["大模型", "公司", "本周", "发布", "视频", "生成", "产品", "业内人士", "认为", "竞争", "更加", "激烈"]),
        // Chat style.
        ("哈哈我也觉得，这个功能真的太好用了，下次我们一起去试试吧！", ["觉得", "这个", "功能", "下次", "我们", "一起", "试试"]),
        ("你们用过即梦和可灵吗？评论区告诉我哪个生成的视频更自然。", ["即梦", "可灵", "评论区", "告诉", "哪个", "生成", "视频", "自然"]),
    ]

    static let forbiddenStart = Set("，。！？、；：”’）》」』】〕〉…%,.!?;:)]}")
    static let forbiddenEnd = Set("“‘（《「『【〔〈([{")

    /// Break positions (Character offsets) of lines that are the text in order.
    func breaks(_ lines: [String]) -> [Int] {
        var p = 0, result: [Int] = []
        for l in lines.dropLast() { p += l.count; result.append(p) }
        return result
    }

    /// Positions strictly inside an occurrence of one of `words`.
    func inside(_ words: [String], of text: String) -> [Int: String] {
        let chars = Array(text)
        var result: [Int: String] = [:]
        for w in words {
            let wc = Array(w)
            for s in 0...(chars.count - wc.count) where Array(chars[s..<(s + wc.count)]) == wc {
                for p in (s + 1)..<(s + wc.count) { result[p] = w }
            }
        }
        return result
    }

    func testNoBreakInsideWordsKinsokuHoldsLinesBalanced() throws {
        let segmenter = WordSegmenter.standard()
        XCTAssertNotNil(segmenter.dictionaryPath, "jieba's dictionary (python3-jieba) is installed by Scripts/setup")
        let breaker = LineBreaker(language: "zh")
        var layouts = 0
        for (text, words) in Self.sentences {
            let units = segmenter.words(in: text)
            let forbidden = inside(words, of: text)
            for width in stride(from: 6.0, through: 18.0, by: 1.0) {
                guard let lines = breaker.layout(text, maxWidth: width, maxLines: 20, keepingWhole: units, measure: Self.measure) else {
                    XCTFail("no layout for \(text) at \(width)"); continue
                }
                layouts += 1
                XCTAssertEqual(lines.joined(), text)
                for p in breaks(lines) {
                    XCTAssertNil(forbidden[p], "\"\(forbidden[p] ?? "")\" split in \(lines) at width \(width)")
                }
                for (k, l) in lines.enumerated() {
                    if k > 0 { XCTAssertFalse(Self.forbiddenStart.contains(l.first!), "\(lines) line \(k) starts with punctuation") }
                    if k < lines.count - 1 { XCTAssertFalse(Self.forbiddenEnd.contains(l.last!), "\(lines) line \(k) ends opening") }
                    let w = Self.measure(l)
                    XCTAssertTrue(w <= width || (Self.measure(String(l.dropLast())) <= width && "，。！？；：”".contains(l.last!)),
                                  "\(l) wider than \(width)")
                }
                // Balanced among word-boundary breaks: no other split into as many lines at the
                // allowed opportunities has a narrower widest line.
                if lines.count == 2 {
                    let ops = breaker.opportunities(in: text, keepingWhole: units).map(\.index)
                    let widest = lines.map(Self.measure).max()!
                    let chars = Array(text)
                    for p in ops {
                        let other = max(Self.measure(String(chars[..<p])), Self.measure(String(chars[p...])))
                        let legal = !Self.forbiddenStart.contains(chars[p])
                        if legal { XCTAssertGreaterThanOrEqual(other, widest - 1e-9, "\(lines) is not the most balanced (break at \(p))") }
                    }
                }
            }
        }
        XCTAssertEqual(layouts, Self.sentences.count * 13)
    }

    /// The same sentences without word units break inside words at some width: the test above
    /// can fail.
    func testWithoutSegmentationWordsAreTorn() {
        let breaker = LineBreaker(language: "zh")
        var torn = 0
        for (text, words) in Self.sentences {
            let forbidden = inside(words, of: text)
            for width in stride(from: 6.0, through: 18.0, by: 1.0) {
                let lines = breaker.layout(text, maxWidth: width, maxLines: 8, measure: Self.measure) ?? []
                torn += breaks(lines).filter { forbidden[$0] != nil }.count
            }
        }
        XCTAssertGreaterThan(torn, 20)
    }

    func testSegmenterKeepsThePostsWords() {
        let s = WordSegmenter.standard()
        func words(_ t: String) -> [String] { s.words(in: t).map { String(Array(t)[$0]) } }
        let w = words("一，视频是带宽最高的大脑输入；四，视频第一次可以被直接优化。抖音跟它比起来，根本不算什么！")
        for word in ["带宽", "优化", "直接", "第一次", "抖音", "大脑"] { XCTAssertTrue(w.contains(word), "\(word) in \(w)") }
        XCTAssertTrue(words("AI大神卡帕西说").contains("卡帕西"))    // reel's lexicon
        XCTAssertTrue(words("看完 Veo 3，发推").contains("Veo 3"))  // a lexicon entry with a space
        XCTAssertEqual(words("abc"), [])
    }

    func testUserLexiconWordIsNeverSplit() {
        let text = "我们今天来试一下呱呱鸭智能相机，看看效果怎么样。"
        let plain = WordSegmenter.standard()
        let withWord = WordSegmenter.standard(userWords: ["呱呱鸭智能相机"])
        let breaker = LineBreaker(language: "zh")
        let inside = inside(["呱呱鸭智能相机"], of: text)
        var tornWithout = 0
        for width in stride(from: 7.0, through: 20.0, by: 1.0) {
            let a = breaker.layout(text, maxWidth: width, maxLines: 8, keepingWhole: withWord.words(in: text), measure: Self.measure)!
            XCTAssertTrue(breaks(a).allSatisfy { inside[$0] == nil }, "\(a) at \(width)")
            let b = breaker.layout(text, maxWidth: width, maxLines: 8, keepingWhole: plain.words(in: text), measure: Self.measure)!
            tornWithout += breaks(b).filter { inside[$0] != nil }.count
        }
        XCTAssertGreaterThan(tornWithout, 0, "without the lexicon the name is broken somewhere")
        // Narrower than the word itself: it must break inside (an emergency), and still fits.
        let narrow = breaker.layout(text, maxWidth: 5, maxLines: 12, keepingWhole: withWord.words(in: text), measure: Self.measure)!
        XCTAssertTrue(narrow.allSatisfy { Self.measure($0) <= 5 || "，。".contains($0.last!) }, "\(narrow)")
    }

    func testNumbersKeepTheirMeasureWords() {
        let ops = LineBreaker(language: "zh").opportunities(in: "他做了3个视频，播放量涨了10倍").map(\.index)
        XCTAssertFalse(ops.contains(4), "3|个")
        XCTAssertFalse(ops.contains(15), "10|倍")
        XCTAssertTrue(ops.contains(3), "了|3")
    }

    func testLexiconFileParsing() {
        XCTAssertEqual(Lexicon.parse("# names\n抖音\n\n  即梦 \r\nVeo 3\n"), ["抖音", "即梦", "Veo 3"])
        XCTAssertTrue(TechLexicon.words.contains("抖音"))
        XCTAssertFalse(TechLexicon.words.contains { $0.hasPrefix("#") })
    }

    func testDictionaryFormatAndLookup() {
        let d = WordDictionary(jiebaData: Data("带宽 120 n\n优化 300\nbroken\n\n抖音\n".utf8))
        XCTAssertEqual(d.count, 4)
        XCTAssertEqual(d.frequency("带宽"), 120)
        XCTAssertEqual(d.frequency("优化"), 300)
        XCTAssertEqual(d.frequency("抖音"), 1)
        XCTAssertEqual(d.frequency("视频"), 0)
        XCTAssertEqual(d.total, 422)
    }
}
