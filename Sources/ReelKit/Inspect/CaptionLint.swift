import Foundation
import ReelMedia
import ReelText

/// `reel captions`: every cue laid out exactly as the render would draw it (the same
/// `SubtitleTrack` code, canvas width, safe area, fonts, sizes and word segmentation), with
/// the problems a viewer would notice, found without decoding any video.
public struct CaptionReport: Encodable, Sendable {
    public struct Block: Encodable, Sendable {
        public var lines: [String]
        /// The size the block is drawn at (after shrinking) and the size it asked for.
        public var size: Int
        public var requestedSize: Int
        public var font: String
    }
    public struct Warning: Encodable, Sendable {
        /// overlap, out-of-order, too-long, missing-glyphs, reading-speed, short, flicker-gap.
        public var kind: String
        /// 1-based cue number in time order (nil: the whole file).
        public var cue: Int?
        public var message: String
    }
    public struct Entry: Encodable, Sendable {
        public var cue: Int
        /// Line of the subtitle file where the cue starts.
        public var line: Int
        public var start: Double
        public var end: Double
        public var chinese: Block?
        public var english: Block?
    }
    public var file: String
    /// The width lines are fitted to, in pixels of the canvas.
    public var lineWidth: Int
    public var canvas: String
    /// Where word boundaries come from (nil: no dictionary; only lexicon words are kept whole).
    public var dictionary: String?
    public var cues: [Entry]
    public var warnings: [Warning]
}

/// Lint thresholds (`reel captions --max-cps-zh …`).
public struct CaptionLimits: Sendable {
    /// Reading speed warnings, characters per second (Chinese: Han and other letters,
    /// punctuation and spaces not counted; English: every character but line breaks).
    public var chineseCPS = 9.0
    public var englishCPS = 20.0
    /// Cues shorter than this flash by.
    public var shortestCue = 0.7
    /// Gaps shorter than this many frames (but not zero) make captions flicker.
    public var flickerFrames = 2
    public init() {}
}

public enum CaptionLint {
    /// Reads the subtitle file(s) of `o` as the render does. Missing: 66; broken: 65.
    public static func readCues(_ o: RenderOptions) throws -> (path: String, cues: [Cue])? {
        guard let path = o.subtitles ?? o.subtitlesEnglish else { return nil }
        func read(_ p: String) throws -> [Cue] {
            guard FileManager.default.fileExists(atPath: p) else { throw MediaError(.notFound, path: p, "no such file") }
            do { return try SubtitleReader.read(path: p, encoding: o.subtitlesEncoding) } catch let e as SubtitleError {
                throw MediaError(.invalidInput, path: p, e.line.map { "line \($0): \(e.message)" } ?? e.message)
            }
        }
        /// Bounded before any layout: layout work grows with a cue's length.
        func bounded(_ cues: [Cue], _ p: String) throws -> [Cue] {
            if cues.count > o.limits.cues { throw o.limits.exceeded("\(cues.count) cues", "cues", path: p) }
            // Code points, not characters: 5 000 combining marks on one letter are one Character.
            func length(_ c: Cue) -> Int { c.chinese.unicodeScalars.count + c.english.unicodeScalars.count }
            if let long = cues.first(where: { length($0) > o.limits.cueLength }) {
                throw o.limits.exceeded("line \(long.line): a cue of \(length(long)) characters", "cue-length", path: p)
            }
            return cues
        }
        var cues = try bounded(read(path), path)
        if let en = o.subtitlesEnglish, o.subtitles != nil { cues = SubtitleReader.merge(chinese: cues, english: try bounded(read(en), en)) }
        return (path, cues)
    }

    public static func check(_ o: RenderOptions, limits: CaptionLimits = CaptionLimits()) throws -> CaptionReport {
        guard let (path, cues) = try readCues(o) else { throw MediaError(.usage, path: "", "no subtitles to check (give a subtitle file or a plan with subtitles:)") }
        let segmenter = try o.wordSegmenter()
        let track: SubtitleTrack
        do {
            track = try SubtitleTrack(cues: cues, style: o.captions, canvasWidth: o.width, canvasHeight: o.height,
                                      safeArea: o.safeArea, fps: o.fps, captionBottom: o.height, segmenter: segmenter)
        } catch let e as TextError { throw MediaError(e, path: o.captions.chinese.font) }
        var entries: [CaptionReport.Entry] = []
        var warnings: [CaptionReport.Warning] = []
        func warn(_ kind: String, _ cue: Int?, _ message: String) { warnings.append(.init(kind: kind, cue: cue, message: message)) }
        let style = o.captions
        do {
            for (i, cue) in track.cues.enumerated() {
                let n = i + 1
                let (zh, en) = track.blockLayouts(cue)
                func block(_ b: SubtitleTrack.BlockLayout?, _ base: TextStyle) -> CaptionReport.Block? {
                    b.map { .init(lines: $0.lines, size: $0.style.size, requestedSize: base.size, font: base.font) }
                }
                entries.append(CaptionReport.Entry(cue: n, line: cue.line, start: cue.start, end: cue.end,
                                     chinese: block(zh, style.chinese), english: block(en, style.english)))
                for (b, name, floor) in [(zh, "Chinese", style.chineseMinimumSize), (en, "English", style.englishMinimumSize)] {
                    if let b, b.overflowed {
                        warn("too-long", n, "the \(name) text needs \(b.lines.count) lines even at the floor size \(floor) px (at most \(style.maxLinesPerLanguage))")
                    }
                }
                let missing = try track.missing(in: cue.chinese, font: style.chinese.font) + track.missing(in: cue.english, font: style.english.font)
                if !missing.isEmpty { warn("missing-glyphs", n, "no installed font has \(String(Set(missing).sorted()))") }
                let duration = cue.end - cue.start
                if duration < limits.shortestCue { warn("short", n, String(format: "shown for %.2f s (under %.1f s)", duration, limits.shortestCue)) }
                if duration > 0 {
                    let zhCPS = Double(chineseCount(cue.chinese)) / duration, enCPS = Double(englishCount(cue.english)) / duration
                    if zhCPS > limits.chineseCPS { warn("reading-speed", n, String(format: "Chinese at %.1f characters/s (over %g)", zhCPS, limits.chineseCPS)) }
                    if enCPS > limits.englishCPS { warn("reading-speed", n, String(format: "English at %.1f characters/s (over %g)", enCPS, limits.englishCPS)) }
                }
                if i > 0 {
                    let prev = track.cues[i - 1]
                    if cue.start < prev.end - 1e-6 {
                        warn("overlap", n, String(format: "starts at %.3f s, before cue %d ends (%.3f s): only one is shown", cue.start, i, prev.end))
                    } else {
                        let gap = cue.start - prev.end
                        if gap > 1e-6, gap < Double(limits.flickerFrames) / Double(o.fps) - 1e-6 {
                            warn("flicker-gap", n, String(format: "%.0f ms after cue %d: a gap under %d frames at %d fps flickers (close it or widen it)",
                                                          gap * 1000, i, limits.flickerFrames, o.fps))
                        }
                    }
                    // Time order differs from file order (one file only: a merge mixes two files' lines).
                    if o.subtitlesEnglish == nil || o.subtitles == nil, cue.line < prev.line {
                        warn("out-of-order", n, "line \(cue.line) comes before line \(prev.line) in the file but starts later")
                    }
                }
            }
        } catch let e as TextError { throw MediaError(e, path: o.captions.chinese.font) }
        return CaptionReport(file: path, lineWidth: Int(track.maxTextWidth), canvas: "\(o.width)x\(o.height)",
                             dictionary: segmenter.dictionaryPath, cues: entries, warnings: warnings)
    }

    /// Characters a Chinese reader reads: letters and numbers (Han, Latin), no punctuation or spaces.
    static func chineseCount(_ text: String) -> Int {
        EmphasisMarkup.parse(text).plain.filter { $0.isLetter || $0.isNumber }.count
    }

    /// Characters of the English side, spaces included, line breaks not.
    static func englishCount(_ text: String) -> Int {
        EmphasisMarkup.parse(text).plain.filter { !$0.isNewline }.count
    }
}

extension CaptionReport {
    /// The human-readable report: each cue, its lines as drawn, its size, then warnings.
    public var text: String {
        func time(_ t: Double) -> String {
            let ms = Int((t * 1000).rounded())
            return String(format: "%d:%02d.%03d", ms / 60000, ms / 1000 % 60, ms % 1000)
        }
        var out = ["\(file): \(cues.count) cues, lines fitted to \(lineWidth) px of a \(canvas) canvas"
                   + (dictionary == nil ? " (no word dictionary: install python3-jieba)" : "")]
        let byCue = Dictionary(grouping: warnings.filter { $0.cue != nil }, by: { $0.cue! })
        for e in cues {
            out.append("")
            out.append("#\(e.cue)  \(time(e.start)) → \(time(e.end))  (line \(e.line))")
            for (b, tag) in [(e.chinese, "zh"), (e.english, "en")] {
                guard let b else { continue }
                let size = b.size == b.requestedSize ? "\(b.size) px" : "\(b.size) px (shrunk from \(b.requestedSize))"
                out.append("  \(tag) \(size)")
                for l in b.lines { out.append("    │ \(l)") }
            }
            for w in byCue[e.cue] ?? [] { out.append("  warning: \(w.kind): \(w.message)") }
        }
        out.append("")
        out.append(warnings.isEmpty ? "no warnings" : "\(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
        return out.joined(separator: "\n")
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
