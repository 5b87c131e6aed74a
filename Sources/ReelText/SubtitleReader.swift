import Foundation

/// Reads subtitle files (SRT, WebVTT, ASS/SSA) into bilingual cues.
///
/// Within a cue each text line that contains a Chinese/CJK character goes to `Cue.chinese`,
/// every other line to `Cue.english`, so the common "中文 line, then English line" layout
/// becomes one cue with both sides; a single-language file gives cues with one side empty.
///
/// What counts as malformed (a `SubtitleError` naming the file and the 1-based line):
/// - a timing line that does not parse (bad digits, minutes/seconds ≥ 60, `->` for `-->`, …);
/// - a cue whose end is before its start (end == start is accepted: a zero-length cue);
/// - SRT: text before the first cue, or a cue number not followed by a timing line;
/// - WebVTT: a block that is neither a cue (optional identifier + timing) nor NOTE/STYLE/REGION;
/// - ASS: a `Format:` line without Start, End and Text, a `Dialogue:` line with fewer fields
///   than the format declares, or a start/end time that does not parse;
/// - bytes that are not valid in the chosen/detected encoding (the line of the first bad byte);
/// - a file that yields no cue with text: "no subtitle cues found" (no line).
///
/// Tolerated (not errors):
/// - a cue with a timing but no text (or only tags) is skipped;
/// - SRT: a missing cue number, a missing blank line between cues, several blank lines, and
///   text after a blank line that does not start a new cue (it continues the previous cue:
///   some editors leave blank lines inside cue text);
/// - WebVTT: a missing `WEBVTT` header, cue settings after the end time (ignored);
/// - 1–2 (or more) digit hours, `,` or `.` before the fraction, 1–3 fraction digits, and a
///   missing hour field (`MM:SS.mmm`) in SRT as in WebVTT;
/// - in every format, two cues with exactly the same start and end where one has only Chinese
///   and the other only English are joined into one bilingual cue (bilingual ASS files often
///   put each language on its own `Dialogue:` line).
public enum SubtitleReader {
    /// Files above this size are refused before decoding (a video passed by mistake).
    public static let maximumFileSize = 32 << 20

    /// Reads SRT, WebVTT or ASS/SSA (by extension, else by content sniffing; an unmistakable
    /// signature — a `WEBVTT` or `[Script Info]` first line — wins over the extension).
    /// `encoding`: nil = detect (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 —
    /// which covers GBK/GB2312 — when the bytes are not valid UTF-8), or "utf-8", "gb18030",
    /// "gbk", "utf-16" (also "gb2312", "cp936", "utf-16le", "utf-16be").
    public static func read(path: String, encoding: String? = nil) throws -> [Cue] {
        let file: RegularFile
        switch RegularFile.open(path) {
        case .success(let opened): file = opened
        case .failure(.missing): throw SubtitleError(path: path, line: nil, message: "no such file")
        case .failure(.special(let kind)): throw SubtitleError(path: path, line: nil, message: "is \(kind)")
        case .failure: throw SubtitleError(path: path, line: nil, message: "cannot open the file for reading")
        }
        let data: Data
        do {
            data = try file.read(upTo: maximumFileSize + 1)
        } catch {
            throw SubtitleError(path: path, line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= maximumFileSize else {
            throw SubtitleError(path: path, line: nil,
                                message: "file is too large for a subtitle file (over \(maximumFileSize >> 20) MiB)")
        }
        return try parse(data, path: path, encoding: encoding)
    }

    /// Parses subtitle bytes; `path` picks the format by extension and names the file in errors.
    public static func parse(_ data: Data, path: String, encoding: String? = nil) throws -> [Cue] {
        let text = try SubtitleDecoding.decode(data, path: path, encoding: encoding)
        let lines = SubtitleText.lines(text)
        let cues: [Cue]
        switch format(path: path, lines: lines) {
        case .srt: cues = try SubtitleSRT.parse(lines, path: path)
        case .webVTT: cues = try SubtitleVTT.parse(lines, path: path)
        case .ass: cues = try SubtitleASS.parse(lines, path: path)
        }
        guard !cues.isEmpty else { throw SubtitleError(path: path, line: nil, message: "no subtitle cues found") }
        return joinLanguagePairs(stableSorted(cues))
    }

    /// True if `line` would go to the Chinese side of a cue (it has a Han/CJK character).
    public static func isChineseLine(_ line: String) -> Bool { SubtitleText.isChinese(line) }

    // MARK: - Format

    /// The format of a file: a `WEBVTT` / `[Script Info]` first line, else the extension, else
    /// an `[Events]` or `Dialogue:` line means ASS, else SRT.
    static func format(path: String, lines: [String]) -> SubtitleFormat {
        let first = lines.lazy.map(SubtitleText.trim).first(where: { !$0.isEmpty }) ?? ""
        if SubtitleVTT.isHeader(first) { return .webVTT }
        if first.lowercased() == "[script info]" { return .ass }
        if let format = SubtitleFormat(pathExtension: pathExtension(path)) { return format }
        for line in lines.prefix(500) {
            let l = SubtitleText.trim(line).lowercased()
            if l == "[events]" || l == "[v4+ styles]" || l == "[v4 styles]" || l.hasPrefix("dialogue:") { return .ass }
        }
        return .srt
    }

    static func pathExtension(_ path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    // MARK: - Post-processing

    /// Sorted by start time; cues with equal starts keep their file order.
    static func stableSorted(_ cues: [Cue]) -> [Cue] {
        cues.enumerated().sorted { a, b in
            a.element.start != b.element.start ? a.element.start < b.element.start : a.offset < b.offset
        }.map(\.element)
    }

    /// Joins neighbouring cues with identical timing where one is Chinese-only and the other
    /// English-only (expects `cues` sorted by start).
    static func joinLanguagePairs(_ cues: [Cue]) -> [Cue] {
        var result: [Cue] = []
        result.reserveCapacity(cues.count)
        var lastJoined = false
        for cue in cues {
            if !lastJoined, let last = result.last, last.start == cue.start, last.end == cue.end {
                if !last.chinese.isEmpty, last.english.isEmpty, cue.chinese.isEmpty, !cue.english.isEmpty {
                    result[result.count - 1].english = cue.english
                    lastJoined = true
                    continue
                }
                if last.chinese.isEmpty, !last.english.isEmpty, !cue.chinese.isEmpty, cue.english.isEmpty {
                    result[result.count - 1].chinese = cue.chinese
                    result[result.count - 1].line = min(last.line, cue.line)
                    lastJoined = true
                    continue
                }
            }
            lastJoined = false
            result.append(cue)
        }
        return result
    }
}

// MARK: - Timing

enum SubtitleTiming {
    /// `[H…:]MM:SS[.,]fff` → seconds at millisecond precision; nil if malformed. Hours have
    /// 1–9 digits; with hours, minutes and seconds are 1–2 digits below 60; without hours
    /// (`MM:SS.mmm`) minutes may be larger. The fraction is optional, 1+ digits (beyond the
    /// third ignored).
    static func seconds(_ text: Substring) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var hours = 0
        if parts.count == 3 {
            guard let h = number(parts[0], maxDigits: 9) else { return nil }
            hours = h
        }
        guard let minutes = number(parts[parts.count - 2], maxDigits: parts.count == 3 ? 2 : 6) else { return nil }
        if parts.count == 3 && minutes >= 60 { return nil }
        let last = parts[parts.count - 1]
        let separator = last.firstIndex(where: { $0 == "." || $0 == "," })
        guard let secs = number(last[..<(separator ?? last.endIndex)], maxDigits: 2), secs < 60 else { return nil }
        var millis = 0
        if let separator {
            let fraction = last[last.index(after: separator)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            var scale = 100
            for digit in fraction.prefix(3) {
                millis += Int(digit.asciiValue.map { $0 - 48 } ?? 0) * scale
                scale /= 10
            }
        }
        let total = ((hours * 60 + minutes) * 60 + secs) * 1000 + millis
        return Double(total) / 1000
    }

    private static func number(_ s: Substring, maxDigits: Int) -> Int? {
        guard !s.isEmpty, s.count <= maxDigits, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    /// `start --> end [settings…]` (settings ignored).
    static func parse(_ line: String) -> (start: Double, end: Double)? {
        guard let arrow = line.range(of: "-->") else { return nil }
        let left = SubtitleText.trim(String(line[..<arrow.lowerBound]))
        let right = SubtitleText.trim(String(line[arrow.upperBound...]))
        let endToken = right.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
        guard let start = seconds(Substring(left)), let end = seconds(endToken) else { return nil }
        return (start, end)
    }

    /// A line that is meant as a timing line: it has `-->`, or starts like a timestamp
    /// (`00:00:01,000 - …`, `1:02.5…`).
    static func looksLikeTiming(_ line: String) -> Bool {
        if line.contains("-->") { return true }
        let s = Array(line.unicodeScalars.prefix(12))
        func digit(_ i: Int) -> Bool { i < s.count && s[i].value >= 0x30 && s[i].value <= 0x39 }
        var i = 0
        while digit(i) && i < 2 { i += 1 }
        guard i > 0, i < s.count, s[i] == ":" else { return false }
        i += 1
        guard digit(i), digit(i + 1) else { return false }
        i += 2
        if i < s.count, s[i] == ":" {
            guard digit(i + 1), digit(i + 2) else { return false }
            i += 3
        }
        return i + 1 < s.count && (s[i] == "," || s[i] == ".") && digit(i + 1)
    }

    /// Parses a timing line or throws naming `line`; end before start is an error.
    static func require(_ text: String, line: Int, path: String, expected: String) throws -> (start: Double, end: Double) {
        guard let t = parse(text) else {
            throw SubtitleError(path: path, line: line,
                                message: "invalid timing line '\(excerpt(text))' (expected \(expected))")
        }
        guard t.end >= t.start else {
            throw SubtitleError(path: path, line: line, message: "cue ends before it starts ('\(excerpt(text))')")
        }
        return t
    }

    /// At most 60 characters of `text` for a message, control characters shown as "?".
    static func excerpt(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars.prefix(60) { out.append(s.value < 0x20 || s.value == 0x7F ? "?" : s) }
        return String(out) + (text.unicodeScalars.count > 60 ? "…" : "")
    }
}
