import Foundation

// The three parsers. Each takes the file's lines (line n of the file is `lines[n - 1]`) and
// returns cues with text, in file order; `SubtitleReader.parse` sorts them and reports an
// empty result. See `SubtitleReader` for what is an error and what is tolerated.

/// SubRip: `index`, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, text lines, blank line.
enum SubtitleSRT {
    static let expected = "HH:MM:SS,mmm --> HH:MM:SS,mmm"

    static func parse(_ lines: [String], path: String) throws -> [Cue] {
        let t = lines.map(SubtitleText.trim)
        let n = t.count
        var cues: [Cue] = []
        var current: (start: Double, end: Double, line: Int, text: [String])? = nil
        var afterBlank = false

        func finish() {
            guard let c = current else { return }
            current = nil
            let text = SubtitleText.stripTags(c.text.joined(separator: "\n"), entities: false)
            let (zh, en) = SubtitleText.bilingual(text)
            if zh.isEmpty && en.isEmpty { return }      // timing without text: skipped
            cues.append(Cue(start: c.start, end: c.end, chinese: zh, english: en, line: c.line))
        }

        var i = 0
        while i < n {
            let l = t[i]
            if l.isEmpty {
                afterBlank = true
                i += 1
                continue
            }
            let inText = current != nil && !afterBlank
            // "12" followed by a timing line: a numbered cue (also without the blank line before it).
            if isIndex(l), i + 1 < n, SubtitleTiming.looksLikeTiming(t[i + 1]) {
                let timing = try SubtitleTiming.require(t[i + 1], line: i + 2, path: path, expected: expected)
                finish()
                current = (timing.start, timing.end, i + 1, [])
                afterBlank = false
                i += 2
                continue
            }
            if SubtitleTiming.looksLikeTiming(l) {
                // Inside cue text, "A --> B" that is not a timing is text.
                if inText, SubtitleTiming.parse(l) == nil, !startsLikeTimestamp(l) {
                    current?.text.append(l)
                    i += 1
                    continue
                }
                let timing = try SubtitleTiming.require(l, line: i + 1, path: path, expected: expected)
                finish()
                current = (timing.start, timing.end, i + 1, [])
                afterBlank = false
                i += 1
                continue
            }
            if !inText {
                if isIndex(l) {
                    if i + 1 < n, !t[i + 1].isEmpty {
                        throw SubtitleError(path: path, line: i + 2,
                                            message: "expected a timing line (\(expected)) after cue number \(SubtitleTiming.excerpt(l)), found '\(SubtitleTiming.excerpt(t[i + 1]))'")
                    }
                    throw SubtitleError(path: path, line: i + 1,
                                        message: "cue number \(SubtitleTiming.excerpt(l)) has no timing line")
                }
                if current == nil {
                    throw SubtitleError(path: path, line: i + 1,
                                        message: "expected a cue number or a timing line (\(expected)), found '\(SubtitleTiming.excerpt(l))'")
                }
            }
            current?.text.append(l)
            afterBlank = false
            i += 1
        }
        finish()
        return cues
    }

    static func isIndex(_ line: String) -> Bool {
        !line.isEmpty && line.unicodeScalars.count <= 9 && line.unicodeScalars.allSatisfy { $0.value >= 0x30 && $0.value <= 0x39 }
    }

    /// Starts with `d:dd` (the beginning of a timestamp), as opposed to prose containing "-->".
    static func startsLikeTimestamp(_ line: String) -> Bool {
        let s = Array(line.unicodeScalars.prefix(4))
        func digit(_ i: Int) -> Bool { i < s.count && s[i].value >= 0x30 && s[i].value <= 0x39 }
        return digit(0) && ((s.count > 1 && s[1] == ":" && digit(2)) || (digit(1) && s.count > 2 && s[2] == ":" && digit(3)))
    }
}

/// WebVTT: `WEBVTT` header, blocks separated by blank lines; NOTE/STYLE/REGION blocks skipped.
enum SubtitleVTT {
    static let expected = "MM:SS.mmm --> MM:SS.mmm or HH:MM:SS.mmm --> HH:MM:SS.mmm"

    static func isHeader(_ line: String) -> Bool {
        guard line.hasPrefix("WEBVTT") else { return false }
        let rest = line.unicodeScalars.dropFirst(6)
        return rest.isEmpty || rest.first == " " || rest.first == "\t"
    }

    static func isKeywordBlock(_ line: String) -> Bool {
        for keyword in ["NOTE", "STYLE", "REGION"] where line.hasPrefix(keyword) {
            let rest = line.unicodeScalars.dropFirst(keyword.unicodeScalars.count)
            if rest.isEmpty || rest.first == " " || rest.first == "\t" { return true }
        }
        return false
    }

    static func parse(_ lines: [String], path: String) throws -> [Cue] {
        let t = lines.map(SubtitleText.trim)
        let n = t.count
        var cues: [Cue] = []
        var i = 0
        while i < n, t[i].isEmpty { i += 1 }
        if i < n, isHeader(t[i]) {
            // Header lines ("Kind: captions", "X-TIMESTAMP-MAP=…") up to the first blank line.
            i += 1
            while i < n, !t[i].isEmpty, !t[i].contains("-->") { i += 1 }
        }
        while i < n {
            if t[i].isEmpty { i += 1; continue }
            if isKeywordBlock(t[i]) {
                while i < n, !t[i].isEmpty { i += 1 }
                continue
            }
            let cueLine = i + 1
            var timingIndex = i
            if !SubtitleTiming.looksLikeTiming(t[i]) {
                // A cue identifier, then the timing line.
                guard i + 1 < n, !t[i + 1].isEmpty else {
                    throw SubtitleError(path: path, line: i + 1,
                                        message: "expected a cue timing line (\(expected)), found '\(SubtitleTiming.excerpt(t[i]))'")
                }
                guard SubtitleTiming.looksLikeTiming(t[i + 1]) else {
                    throw SubtitleError(path: path, line: i + 2,
                                        message: "expected a cue timing line (\(expected)) after cue identifier '\(SubtitleTiming.excerpt(t[i]))'")
                }
                timingIndex = i + 1
            }
            let timing = try SubtitleTiming.require(t[timingIndex], line: timingIndex + 1, path: path, expected: expected)
            var text: [String] = []
            var j = timingIndex + 1
            while j < n, !t[j].isEmpty {
                if t[j].contains("-->"), SubtitleTiming.parse(t[j]) != nil { break }   // next cue without a blank line
                text.append(t[j])
                j += 1
            }
            i = j
            let stripped = SubtitleText.stripTags(text.joined(separator: "\n"), entities: true)
            let (zh, en) = SubtitleText.bilingual(stripped)
            if zh.isEmpty && en.isEmpty { continue }
            cues.append(Cue(start: timing.start, end: timing.end, chinese: zh, english: en, line: cueLine))
        }
        return cues
    }
}

/// ASS/SSA: `Dialogue:` lines of the `[Events]` section, columns named by its `Format:` line.
enum SubtitleASS {
    static let expected = "H:MM:SS.cc"
    /// Used when `Dialogue:` lines come before any `Format:` line (ASS v4+; SSA's "Marked"
    /// column stands where "Layer" is).
    static let defaultFormat = ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"]

    static func parse(_ lines: [String], path: String) throws -> [Cue] {
        var cues: [Cue] = []
        var section = ""
        var format: [String]? = nil
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            let l = SubtitleText.trim(raw)
            if l.isEmpty || l.hasPrefix(";") || l.hasPrefix("!:") { continue }
            if l.hasPrefix("["), l.hasSuffix("]") {
                section = String(l.dropFirst().dropLast()).lowercased()
                format = nil
                continue
            }
            guard section == "events", let colon = l.firstIndex(of: ":") else { continue }
            let key = SubtitleText.trim(String(l[..<colon])).lowercased()
            let value = String(l[l.index(after: colon)...])
            switch key {
            case "format":
                let columns = value.split(separator: ",", omittingEmptySubsequences: false)
                    .map { SubtitleText.trim(String($0)).lowercased() }
                guard columns.contains("start"), columns.contains("end"), columns.contains("text") else {
                    throw SubtitleError(path: path, line: lineNumber,
                                        message: "the [Events] Format line must name Start, End and Text columns")
                }
                format = columns
            case "dialogue":
                let columns = format ?? defaultFormat
                guard let startColumn = columns.firstIndex(of: "start"), let endColumn = columns.firstIndex(of: "end"),
                      let textColumn = columns.firstIndex(of: "text") else { continue }
                let fields = split(value, into: columns.count)
                guard fields.count == columns.count else {
                    throw SubtitleError(path: path, line: lineNumber,
                                        message: "Dialogue line has \(fields.count) fields, the Format line declares \(columns.count)")
                }
                let startText = SubtitleText.trim(fields[startColumn]), endText = SubtitleText.trim(fields[endColumn])
                guard let start = SubtitleTiming.seconds(Substring(startText)) else {
                    throw SubtitleError(path: path, line: lineNumber,
                                        message: "invalid start time '\(SubtitleTiming.excerpt(startText))' (expected \(expected))")
                }
                guard let end = SubtitleTiming.seconds(Substring(endText)) else {
                    throw SubtitleError(path: path, line: lineNumber,
                                        message: "invalid end time '\(SubtitleTiming.excerpt(endText))' (expected \(expected))")
                }
                guard end >= start else {
                    throw SubtitleError(path: path, line: lineNumber,
                                        message: "cue ends (\(endText)) before it starts (\(startText))")
                }
                let (zh, en) = SubtitleText.bilingual(SubtitleText.assText(fields[textColumn]))
                if zh.isEmpty && en.isEmpty { continue }
                cues.append(Cue(start: start, end: end, chinese: zh, english: en, line: lineNumber))
            default:
                continue    // Comment:, Picture:, Sound:, Movie:, Command:
            }
        }
        return cues
    }

    /// Splits on commas into at most `count` fields; the last field keeps its commas.
    static func split(_ value: String, into count: Int) -> [String] {
        guard count > 1 else { return [value] }
        var fields: [String] = []
        var rest = Substring(value)
        while fields.count < count - 1, let comma = rest.firstIndex(of: ",") {
            fields.append(String(rest[..<comma]))
            rest = rest[rest.index(after: comma)...]
        }
        fields.append(String(rest))
        return fields
    }
}
