import Foundation
import ReelMedia
import ReelText
import Yams

/// Writes a render's options with its automatic decisions frozen as numbers (the crop, the
/// layout's boxes, the hook's start, the edit list) as a plan file that `reel render` reads
/// back into the same composed frames. Every field is written, defaults included, so a user
/// sees (and can edit) everything the render will do.
public enum PlanWriter {
    /// YAML text of the resolved plan. Paths become relative to `directory` when they lie
    /// inside it; `output` is the MP4 the plan renders to (omitted when nil).
    public static func yaml(job r: RenderJob, output: String?, directory: String) throws -> String {
        let o = r.options
        let dir = URL(fileURLWithPath: directory).standardizedFileURL.path
        func path(_ p: String) -> Node {
            let full = URL(fileURLWithPath: p).standardizedFileURL.path
            return Node(full.hasPrefix(dir + "/") ? String(full.dropFirst(dir.count + 1)) : full)
        }
        func n(_ v: Double) -> Node { Node(v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", v) : String(v), Tag(.float)) }
        func i(_ v: Int) -> Node { Node(String(v), Tag(.int)) }
        func b(_ v: Bool) -> Node { Node(v ? "true" : "false", Tag(.bool)) }
        func hex(_ c: RGBA) -> Node { Node(String(format: "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a)) }
        func map(_ pairs: [(String, Node?)]) -> Node {
            Node.mapping(Node.Mapping(pairs.compactMap { k, v in v.map { (Node(k), $0) } }))
        }

        let segments = r.edit.segments
        let hook = segments.first(where: \.isHook)
        let body = segments.filter { !$0.isHook }.map { s in
            map([("from", n(s.sourceStart)), ("to", s.frames.map { n(s.sourceStart + Double($0) / Double(o.fps)) })])
        }
        var hookNode: Node? = nil
        if let h = hook, case let duration? = o.hook.map({ hook -> Double in
            switch hook { case .range(_, let d), .auto(let d): return d }
        }) {
            hookNode = map([("start", n(h.sourceStart)), ("duration", n(duration)), ("zoom", n(o.hookZoom)), ("flash", b(o.hookFlash)),
                            ("title", o.hookTitle.map { Node($0) }), ("title_en", o.hookTitleEnglish.map { Node($0) }),
                            ("keywords", o.hookKeywords.isEmpty ? nil : Node.sequence(Node.Sequence(o.hookKeywords.map { Node($0) })))])
        }
        let presenter = o.presenter.map { p -> Node in
            var key: Node? = nil
            switch p.key {
            case .green?: key = Node("green")
            case .blue?: key = Node("blue")
            case .color(let red, let green, let blue)?: key = Node(String(format: "#%02x%02x%02x", red, green, blue))
            case nil: break
            }
            return map([("file", path(p.path)), ("key", key), ("key_similarity", n(p.keySimilarity)), ("key_blend", n(p.keyBlend)),
                        ("start", n(p.start)), ("mask", Node(p.mask.rawValue)), ("fit", Node(p.fit.rawValue)),
                        ("fill", p.fitMode.map { Node($0.rawValue) }), ("audio", b(p.useAudio)),
                        ("focus", Node.sequence(Node.Sequence([n(p.focusX), n(p.focusY)])))])
        }
        let stickers = o.stickers.map { s in
            map([("text", s.text.map { Node($0) }), ("image", s.image.map(path)), ("layer", Node(s.layer.rawValue)), ("x", n(s.x)),
                 ("y", n(s.y)), ("size", n(s.size)), ("rotate", n(s.rotation)), ("color", hex(s.color)), ("font", Node(s.font)),
                 ("outline", n(s.outline)), ("track", b(s.track))])
        }
        let l = r.layout
        let layout = map([("template", Node(r.template.rawValue)), ("screen_top", i(l.screenTop)),
                          ("screen_bottom", i(l.screenTop + l.screenHeight)), ("caption_bottom", i(l.captionBottom)),
                          ("presenter_box", l.presenterBox.map { Node.sequence(Node.Sequence([i($0.x), i($0.y), i($0.width), i($0.height)])) })])
        let c = o.captions
        let box: Node = c.box.map(hex) ?? Node(c.boxOverScreen == nil ? "none" : "auto")
        let subtitles: Node? = (o.subtitles ?? o.subtitlesEnglish) == nil ? nil : map([
            ("file", (o.subtitles ?? o.subtitlesEnglish).map(path)), ("english", o.subtitles == nil ? nil : o.subtitlesEnglish.map(path)),
            ("encoding", o.subtitlesEncoding.map { Node($0) }), ("font_zh", Node(c.chinese.font)), ("font_en", Node(c.english.font)),
            ("box", box), ("size_zh", i(c.chinese.size)), ("size_en", i(c.english.size)), ("margin", i(c.bottomMargin))])
        let background: Node
        switch o.background {
        case .blur: background = Node("blur")
        case .color(let red, let green, let blue): background = Node(String(format: "#%02x%02x%02x", red, green, blue))
        }
        let audio = map([("voice", o.voice.map(path)), ("voice_start", n(o.voiceStart)), ("music", o.music.map(path)),
                         ("music_volume", n(o.musicVolume)), ("duck", n(o.duckDepth)), ("loudness", n(o.loudness)),
                         ("true_peak", n(o.truePeak)), ("screen_audio", o.screenAudio.map(b))])
        let plan = map([
            ("source", path(o.input)), ("output", output.map(path)), ("crop", Node(r.crop.description)),
            ("size", Node("\(o.width)x\(o.height)")), ("fps", i(o.fps)), ("background", background),
            ("encoder", Node(o.encoder)), ("preset", Node(o.preset)), ("crf", i(o.crf)), ("threads", i(o.threads)),
            ("deterministic", b(o.deterministic)), ("deinterlace", o.deinterlace == .auto ? nil : Node(o.deinterlace.rawValue)),
            ("presenter", presenter),
            ("stickers", stickers.isEmpty ? nil : Node.sequence(Node.Sequence(stickers))), ("layout", layout),
            ("subtitles", subtitles), ("title", o.title.map { Node($0) }), ("title_en", o.titleEnglish.map { Node($0) }),
            ("hook", hookNode ?? b(false)), ("edit", Node.sequence(Node.Sequence(body))), ("audio", audio),
        ])
        return try Yams.serialize(node: plan, allowUnicode: true)
    }
}

extension PlanWriter {
    /// `reel plan`: writes the decisions of `job` as a plan to `planPath` (temp file, then
    /// rename; never over an input). `renderOutput` becomes the plan's `output`; `protecting`
    /// adds files read that the job's options do not name (the plan they came from).
    public static func write(job: RenderJob, to planPath: String, renderOutput: String?, protecting: [String] = [],
                             force: Bool) throws -> String {
        let o = job.options
        let directory = (planPath as NSString).deletingLastPathComponent
        let text = try yaml(job: job, output: renderOutput, directory: directory.isEmpty ? "." : directory)
        var inputs = [o.input] + [o.subtitles, o.subtitlesEnglish, o.presenter?.path, o.voice, o.music].compactMap { $0 }
        inputs += o.stickers.compactMap(\.image) + protecting
        let file = try OutputFile(destination: planPath, inputs: inputs, force: force, kind: "yaml")
        do {
            try Data(("# Resolved by `reel plan`: every decision frozen; `reel render` on this file renders the same frames.\n" + text).utf8)
                .write(to: URL(fileURLWithPath: file.temporary))
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        return file.destination
    }
}
