import Foundation
import ReelMedia
import ReelText
import Yams

/// A render described in a file (YAML or JSON): every flag of `reel render` has a field.
/// Paths are relative to the plan file. Unknown keys and wrong types are errors that name
/// the key path. The smallest plan:
///
///     source: rec.mp4
///     presenter: me.webm
///     subtitles: talk.srt
///     output: out.mp4
public struct Plan: Decodable {
    public var source: String?
    public var output: String?
    var crop, trim, size, background, preset, encoder: String?
    var fps, crf, threads: Int?
    var deterministic, keepBlackStart: Bool?
    var deinterlace: String?
    var presenter: PresenterPlan?
    var stickers: [StickerPlan]?
    var layout: LayoutPlan?
    var subtitles: SubtitlesPlan?
    var title, titleEnglish: String?
    var hook: HookPlan?
    var edit: [EditRange]?
    var audio: AudioPlanFields?

    public init(from decoder: Swift.Decoder) throws {
        let c = try decoder.strictContainer(["source", "output", "crop", "trim", "size", "background", "preset", "encoder", "fps", "crf",
                                             "threads", "deterministic", "presenter", "stickers", "layout", "subtitles", "title", "title_en",
                                             "hook", "edit", "audio", "keep_black_start", "deinterlace"])
        source = try c.decodeIfPresent(String.self, forKey: "source")
        output = try c.decodeIfPresent(String.self, forKey: "output")
        crop = try c.decodeIfPresent(String.self, forKey: "crop")
        trim = try c.decodeIfPresent(String.self, forKey: "trim")
        size = try c.decodeIfPresent(String.self, forKey: "size")
        background = try c.decodeIfPresent(String.self, forKey: "background")
        preset = try c.decodeIfPresent(String.self, forKey: "preset")
        encoder = try c.decodeIfPresent(String.self, forKey: "encoder")
        fps = try c.decodeIfPresent(Int.self, forKey: "fps")
        crf = try c.decodeIfPresent(Int.self, forKey: "crf")
        threads = try c.decodeIfPresent(Int.self, forKey: "threads")
        deterministic = try c.decodeIfPresent(Bool.self, forKey: "deterministic")
        keepBlackStart = try c.decodeIfPresent(Bool.self, forKey: "keep_black_start")
        deinterlace = try c.decodeIfPresent(String.self, forKey: "deinterlace")
        presenter = try c.decodeIfPresent(PresenterPlan.self, forKey: "presenter")
        stickers = try c.decodeIfPresent([StickerPlan].self, forKey: "stickers")
        layout = try c.decodeIfPresent(LayoutPlan.self, forKey: "layout")
        subtitles = try c.decodeIfPresent(SubtitlesPlan.self, forKey: "subtitles")
        title = try c.decodeIfPresent(String.self, forKey: "title")
        titleEnglish = try c.decodeIfPresent(String.self, forKey: "title_en")
        hook = try c.decodeIfPresent(HookPlan.self, forKey: "hook")
        edit = try c.decodeIfPresent([EditRangePlan].self, forKey: "edit")?.map(\.range)
        audio = try c.decodeIfPresent(AudioPlanFields.self, forKey: "audio")
    }

    /// Reads a plan; errors name the file and the key path.
    /// A file over `limits.maximumBytes` is refused before it is read.
    public static func read(path: String, limits: PlanLimits = PlanLimits()) throws -> Plan {
        let file = try InputFile.open(path)   // a FIFO, device or directory: refused, never blocks
        let tooLarge = { (size: Int) in
            "plan is \(size) bytes, over the limit of \(limits.maximumBytes) (--limit plan-bytes=N raises it)"
        }
        if file.size > limits.maximumBytes { throw MediaError(.invalidInput, path: path, tooLarge(file.size)) }
        let data = try file.readAll(limit: limits.maximumBytes, tooLarge: tooLarge)
        return try decode(data, path: path, limits: limits)
    }

    /// Decodes plan bytes; `path` picks JSON or YAML by extension and names the file in errors.
    /// `limits` are checked on the bytes first (see `PlanLimits`).
    public static func decode(_ data: Data, path: String, limits: PlanLimits = PlanLimits()) throws -> Plan {
        guard let text = String(data: data, encoding: .utf8) else { throw MediaError(.invalidInput, path: path, "not UTF-8 text") }
        do {
            try limits.check(data)
            if path.lowercased().hasSuffix(".json") { return try JSONDecoder().decode(Plan.self, from: data) }
            return try YAMLDecoder().decode(Plan.self, from: text)
        } catch let e as DecodingError {
            throw MediaError(.invalidInput, path: path, Self.describe(e))
        } catch let e as PlanError {
            throw MediaError(.invalidInput, path: path, e.description)
        } catch {
            throw MediaError(.invalidInput, path: path, "not a valid plan: \(error)")
        }
    }

    /// Whether a path names a plan rather than a recording.
    public static func isPlan(_ path: String) -> Bool {
        ["yaml", "yml", "json"].contains((path as NSString).pathExtension.lowercased())
    }

    static func describe(_ e: DecodingError) -> String {
        func path(_ p: [CodingKey]) -> String {
            let s = p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return s.hasPrefix(".") ? String(s.dropFirst()) : (s.isEmpty ? "(top level)" : s)
        }
        switch e {
        case .typeMismatch(let type, let ctx): return "\(path(ctx.codingPath)): expected \(Self.name(type))"
        case .valueNotFound(let type, let ctx): return "\(path(ctx.codingPath)): expected \(Self.name(type)), found nothing"
        case .keyNotFound(let key, let ctx): return "\(path(ctx.codingPath + [key])): missing"
        case .dataCorrupted(let ctx):
            if let under = ctx.underlyingError as? PlanError { return under.description }
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }

    static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let n = "\(type)"
            if n == "Scalar" { return "a single value (text or a number)" }   // Yams: got a list or mapping
            if n == "Mapping" { return "a mapping" }
            if n == "Sequence" { return "a list" }
            return n.hasPrefix("Array") ? "a list" : (n.contains("Dictionary") || n.hasSuffix("Plan") || n.hasSuffix("Fields") ? "a mapping" : n)
        }
    }

    /// Fills `options` from the plan; `directory` is where relative paths start.
    public func apply(to o: inout RenderOptions, directory: String) throws {
        func path(_ p: String) -> String { p.hasPrefix("/") ? p : (directory as NSString).appendingPathComponent(p) }
        if let s = source { o.input = path(s) }
        if let s = output { o.output = path(s) }
        try RenderFlags.apply(crop: crop, trim: trim, size: size, background: background, to: &o)
        if let v = fps {
            guard RenderOptions.allowedFrameRates.contains(v) else { throw PlanError(description: "fps \(v): expected 25, 30, 50 or 60") }
            o.fps = v
        }
        if let v = crf { o.crf = try NumberRange.check(v, "crf", NumberRange.crf) }
        if let v = threads { o.threads = try NumberRange.check(v, "threads", NumberRange.threads) }
        if let v = preset { o.preset = v }
        if let v = encoder { o.encoder = v }
        if let v = deterministic { o.deterministic = v }
        if let v = keepBlackStart { o.keepLeadingBlank = v }
        if let v = deinterlace {
            do { o.deinterlace = try RenderFlags.deinterlace(v, name: "deinterlace") } catch let e as RenderFlags.Invalid { throw PlanError(description: e.message) }
        }
        if let p = presenter { o.presenter = try p.options(path: path) }
        if let s = stickers { o.stickers = try s.enumerated().map { try $1.spec(path: path, index: $0) } }
        if let l = layout { try l.apply(to: &o) }
        if let s = subtitles { try s.apply(to: &o, path: path) }
        if let t = title { o.title = t }
        if let t = titleEnglish { o.titleEnglish = t }
        if let h = hook { try h.apply(to: &o) }
        if let e = edit { o.edit = e }
        if let a = audio { try a.apply(to: &o, path: path) }
    }
}

public struct PlanError: Error, CustomStringConvertible { public let description: String }

struct PresenterPlan: Decodable {
    var file: String
    var key: String?
    var keySimilarity, keyBlend, start, scale: Double?
    var mask, fit, fill, anchor: String?
    var margin: Int?
    var audio: Bool?
    var focus: [Double]?

    init(from decoder: Swift.Decoder) throws {
        // `presenter: me.webm` or a mapping.
        if let single = try? decoder.singleValueContainer(), let file = try? single.decode(String.self) { self.file = file; return }
        let c = try decoder.strictContainer(["file", "key", "key_similarity", "key_blend", "start", "scale", "mask", "fit", "fill",
                                             "anchor", "margin", "audio", "focus"])
        file = try c.decode(String.self, forKey: "file")
        key = try c.decodeIfPresent(String.self, forKey: "key")
        keySimilarity = try c.decodeIfPresent(Double.self, forKey: "key_similarity")
        keyBlend = try c.decodeIfPresent(Double.self, forKey: "key_blend")
        start = try c.decodeIfPresent(Double.self, forKey: "start")
        scale = try c.decodeIfPresent(Double.self, forKey: "scale")
        mask = try c.decodeIfPresent(String.self, forKey: "mask")
        fit = try c.decodeIfPresent(String.self, forKey: "fit")
        fill = try c.decodeIfPresent(String.self, forKey: "fill")
        anchor = try c.decodeIfPresent(String.self, forKey: "anchor")
        margin = try c.decodeIfPresent(Int.self, forKey: "margin")
        audio = try c.decodeIfPresent(Bool.self, forKey: "audio")
        focus = try c.decodeIfPresent([Double].self, forKey: "focus")
    }

    func options(path: (String) -> String) throws -> PresenterOptions {
        var p = PresenterOptions(path: path(file))
        try RenderFlags.applyPresenter(key: key, mask: mask, fit: fit, fill: fill, anchor: anchor, to: &p, prefix: "presenter.")
        if let v = keySimilarity { p.keySimilarity = try NumberRange.check(v, "presenter.key_similarity", NumberRange.keySimilarity) }
        if let v = keyBlend { p.keyBlend = try NumberRange.check(v, "presenter.key_blend", NumberRange.keyBlend) }
        if let v = start { p.start = try NumberRange.check(v, "presenter.start", NumberRange.seconds) }
        if let v = scale { p.scale = try NumberRange.check(v, "presenter.scale", NumberRange.presenterScale) }
        if let v = margin { p.margin = try NumberRange.check(v, "presenter.margin", NumberRange.canvasPixels) }
        if let v = audio { p.useAudio = v }
        if let f = focus {
            guard f.count == 2, f.allSatisfy(NumberRange.fraction.contains) else { throw PlanError(description: "presenter.focus: expected [x, y] fractions (0 to 1)") }
            p.focusX = f[0]; p.focusY = f[1]
        }
        return p
    }
}

struct StickerPlan: Decodable {
    var fields: [String: String] = [:]
    init(from decoder: Swift.Decoder) throws {
        let c = try decoder.strictContainer(["text", "image", "layer", "x", "y", "size", "rotate", "rotation", "color", "font", "outline", "track"])
        for key in c.allKeys {
            if let b = try? c.decode(Bool.self, forKey: key) { fields[key.stringValue] = b ? "on" : "off" }
            else if let s = try? c.decode(String.self, forKey: key) { fields[key.stringValue] = s }
            else { fields[key.stringValue] = String(try c.decode(Double.self, forKey: key)) }
        }
    }
    func spec(path: (String) -> String, index: Int) throws -> StickerSpec {
        var s = StickerSpec()
        let context = "stickers[\(index)]"
        do {
            for (k, v) in fields.sorted(by: { $0.key < $1.key }) { try s.set(k, k == "image" ? path(v) : v, context: context) }
            try s.check(context: context)
        } catch let e as StickerSpec.Invalid { throw PlanError(description: e.description) }
        return s
    }
}

struct LayoutPlan: Decodable {
    var template: String?
    var seam, screenTop, screenBottom, captionBottom: Int?
    var presenterBox: [Int]?
    init(from decoder: Swift.Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let t = try? single.decode(String.self) { template = t; return }
        let c = try decoder.strictContainer(["template", "seam", "screen_top", "screen_bottom", "caption_bottom", "presenter_box"])
        template = try c.decodeIfPresent(String.self, forKey: "template")
        seam = try c.decodeIfPresent(Int.self, forKey: "seam")
        screenTop = try c.decodeIfPresent(Int.self, forKey: "screen_top")
        screenBottom = try c.decodeIfPresent(Int.self, forKey: "screen_bottom")
        captionBottom = try c.decodeIfPresent(Int.self, forKey: "caption_bottom")
        presenterBox = try c.decodeIfPresent([Int].self, forKey: "presenter_box")
    }
    func apply(to o: inout RenderOptions) throws {
        if let t = template {
            guard let v = LayoutTemplate(rawValue: t) else { throw PlanError(description: "layout.template: '\(t)' is not one of screen, split, pip") }
            o.layout = v
        }
        let pixels = NumberRange.canvasPixels
        if let v = seam { o.layoutOverrides.seam = try NumberRange.check(v, "layout.seam", pixels) }
        if let v = screenTop { o.layoutOverrides.screenTop = try NumberRange.check(v, "layout.screen_top", pixels) }
        if let v = screenBottom { o.layoutOverrides.screenBottom = try NumberRange.check(v, "layout.screen_bottom", pixels) }
        if let v = captionBottom { o.layoutOverrides.captionBottom = try NumberRange.check(v, "layout.caption_bottom", pixels) }
        if let b = presenterBox {
            guard b.count == 4, b[2] > 0, b[3] > 0, b.allSatisfy(pixels.contains) else { throw PlanError(description: "layout.presenter_box: expected [x, y, width, height]") }
            o.layoutOverrides.presenter = PixelRect(x: b[0], y: b[1], width: b[2], height: b[3])
        }
    }
}

struct SubtitlesPlan: Decodable {
    var file: String?
    var english, encoding, fontZh, fontEn, box, lexicon: String?
    var sizeZh, sizeEn, margin: Int?
    init(from decoder: Swift.Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let f = try? single.decode(String.self) { file = f; return }
        let c = try decoder.strictContainer(["file", "english", "encoding", "font_zh", "font_en", "box", "size_zh", "size_en", "margin", "lexicon"])
        file = try c.decodeIfPresent(String.self, forKey: "file")
        english = try c.decodeIfPresent(String.self, forKey: "english")
        encoding = try c.decodeIfPresent(String.self, forKey: "encoding")
        fontZh = try c.decodeIfPresent(String.self, forKey: "font_zh")
        fontEn = try c.decodeIfPresent(String.self, forKey: "font_en")
        box = try c.decodeIfPresent(String.self, forKey: "box")
        sizeZh = try c.decodeIfPresent(Int.self, forKey: "size_zh")
        sizeEn = try c.decodeIfPresent(Int.self, forKey: "size_en")
        margin = try c.decodeIfPresent(Int.self, forKey: "margin")
        lexicon = try c.decodeIfPresent(String.self, forKey: "lexicon")
    }
    func apply(to o: inout RenderOptions, path: (String) -> String) throws {
        if let f = file { o.subtitles = path(f) }
        if let f = english { o.subtitlesEnglish = path(f) }
        if let e = encoding { o.subtitlesEncoding = e }
        if let f = lexicon { o.lexicon = path(f) }
        if let f = fontZh { o.captions.chinese.font = f }
        if let f = fontEn { o.captions.english.font = f }
        if let b = box {
            guard o.captions.setBox(b) else { throw PlanError(description: "subtitles.box: '\(b)' is not #RRGGBB, #RRGGBBAA, auto or none") }
        }
        if let v = sizeZh { o.captions.chinese.size = try NumberRange.check(v, "subtitles.size_zh", NumberRange.captionSize); o.captions.chineseMinimumSize = min(o.captions.chineseMinimumSize, v) }
        if let v = sizeEn { o.captions.english.size = try NumberRange.check(v, "subtitles.size_en", NumberRange.captionSize); o.captions.englishMinimumSize = min(o.captions.englishMinimumSize, v) }
        if let v = margin { o.captions.bottomMargin = try NumberRange.check(v, "subtitles.margin", NumberRange.canvasPixels) }
    }
}

struct HookPlan: Decodable {
    var spec: String?
    var start, duration, zoom: Double?
    var auto, flash: Bool?
    var title, titleEnglish: String?
    var keywords: [String]?
    init(from decoder: Swift.Decoder) throws {
        // `hook: auto`, `hook: "31.2:2"`, `hook: false` or a mapping.
        if let single = try? decoder.singleValueContainer() {
            if let s = try? single.decode(String.self) { spec = s; return }
            if let b = try? single.decode(Bool.self) { spec = b ? "auto" : "off"; return }
        }
        let c = try decoder.strictContainer(["start", "duration", "zoom", "auto", "flash", "title", "title_en", "keywords"])
        start = try c.decodeIfPresent(Double.self, forKey: "start")
        duration = try c.decodeIfPresent(Double.self, forKey: "duration")
        zoom = try c.decodeIfPresent(Double.self, forKey: "zoom")
        auto = try c.decodeIfPresent(Bool.self, forKey: "auto")
        flash = try c.decodeIfPresent(Bool.self, forKey: "flash")
        title = try c.decodeIfPresent(String.self, forKey: "title")
        titleEnglish = try c.decodeIfPresent(String.self, forKey: "title_en")
        keywords = try c.decodeIfPresent([String].self, forKey: "keywords")
    }
    func apply(to o: inout RenderOptions) throws {
        do {
            if let s = spec { o.hook = try RenderFlags.hook(s) }
            let d = duration ?? 2   // range-checked by RenderFlags.hook, NaN included
            if let s = start { _ = try NumberRange.check(s, "hook.start", NumberRange.seconds) }
            if auto == true { o.hook = try RenderFlags.hook("auto:\(d)") }
            else if let s = start { o.hook = try RenderFlags.hook("\(s):\(d)") }
        } catch let e as RenderFlags.Invalid { throw PlanError(description: e.message.hasPrefix("hook.") ? e.message : "hook: " + e.message) }
        if let v = zoom { o.hookZoom = try NumberRange.check(v, "hook.zoom", NumberRange.hookZoom) }
        if let v = flash { o.hookFlash = v }
        if let v = title { o.hookTitle = v }
        if let v = titleEnglish { o.hookTitleEnglish = v }
        if let v = keywords { o.hookKeywords = v }
    }
}

struct EditRangePlan: Decodable {
    var range: EditRange
    init(from decoder: Swift.Decoder) throws {
        let c = try decoder.strictContainer(["from", "to"])
        let at = decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
        func seconds(_ key: PlanKey) throws -> Double? {
            guard let v = try c.decodeIfPresent(Double.self, forKey: key) else { return nil }
            guard NumberRange.seconds.contains(v) else {
                throw PlanError(description: "\(at).\(key.stringValue) \(v): expected seconds from 0 to \(Int(NumberRange.seconds.upperBound))")
            }
            return v
        }
        range = EditRange(from: try seconds("from") ?? 0, to: try seconds("to"))
    }
}

struct AudioPlanFields: Decodable {
    var voice, music: String?
    var voiceStart, musicVolume, duck, loudness, truePeak: Double?
    var screenAudio: Bool?
    init(from decoder: Swift.Decoder) throws {
        let c = try decoder.strictContainer(["voice", "music", "voice_start", "music_volume", "duck", "loudness", "true_peak", "screen_audio"])
        voice = try c.decodeIfPresent(String.self, forKey: "voice")
        music = try c.decodeIfPresent(String.self, forKey: "music")
        voiceStart = try c.decodeIfPresent(Double.self, forKey: "voice_start")
        musicVolume = try c.decodeIfPresent(Double.self, forKey: "music_volume")
        duck = try c.decodeIfPresent(Double.self, forKey: "duck")
        loudness = try c.decodeIfPresent(Double.self, forKey: "loudness")
        truePeak = try c.decodeIfPresent(Double.self, forKey: "true_peak")
        screenAudio = try c.decodeIfPresent(Bool.self, forKey: "screen_audio")
    }
    func apply(to o: inout RenderOptions, path: (String) -> String) throws {
        if let v = voice { o.voice = path(v) }
        if let v = music { o.music = path(v) }
        if let v = voiceStart { o.voiceStart = try NumberRange.check(v, "audio.voice_start", NumberRange.seconds) }
        if let v = musicVolume { o.musicVolume = try NumberRange.check(v, "audio.music_volume", NumberRange.musicVolume) }
        if let v = duck { o.duckDepth = try NumberRange.check(v, "audio.duck", NumberRange.duck) }
        if let v = loudness { o.loudness = try NumberRange.check(v, "audio.loudness", NumberRange.loudness) }
        if let v = truePeak { o.truePeak = try NumberRange.check(v, "audio.true_peak", NumberRange.truePeak) }
        if let v = screenAudio { o.screenAudio = v }
    }
}

/// Any key by its name: lets each plan type list the keys it knows and reject the rest.
struct PlanKey: CodingKey, ExpressibleByStringLiteral {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(stringLiteral value: String) { stringValue = value }
}

extension Swift.Decoder {
    /// A keyed container that throws on any key not in `known`, naming its path.
    func strictContainer(_ known: [String]) throws -> KeyedDecodingContainer<PlanKey> {
        let c = try container(keyedBy: PlanKey.self)
        for key in c.allKeys where !known.contains(key.stringValue) {
            let path = (codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw PlanError(description: "\(path.hasPrefix(".") ? String(path.dropFirst()) : path): unknown key (known: \(known.joined(separator: ", ")))")
        }
        return c
    }
}
