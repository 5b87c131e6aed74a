import Foundation
import ReelMedia
import Yams

/// The plan one batch job renders with: the folder's `batch.yaml` (defaults for every job),
/// then the job's sidecar files, then its own `NAME.yaml`, merged key by key (nested
/// mappings merged, anything else replaced). Paths are made absolute against the batch
/// folder, so the merged plan can be written anywhere. Its YAML text, keys sorted, is the
/// job's resolved settings: what the manifest fingerprints.
public struct JobPlan: Sendable {
    public let text: String

    public struct Invalid: Error, CustomStringConvertible {
        public let file: String
        public let cause: String
        public var description: String { "\(file): \(cause)" }
    }

    /// Keys whose values are paths (of the top-level mapping, or inside `presenter`,
    /// `subtitles`, `audio`, `stickers[]`).
    static let pathKeys: [[String]] = [["source"], ["presenter", "file"], ["subtitles", "file"], ["subtitles", "english"],
                                       ["audio", "voice"], ["audio", "music"]]

    /// Reads a plan-shaped file into a mapping with its paths made absolute.
    public static func load(_ file: String) throws -> Node {
        // Opened without blocking and checked on the descriptor: a FIFO sidecar cannot hang the batch.
        let data: Data
        do {
            data = try InputFile.open(file).readAll(limit: 64 << 20) { _ in "larger than 64 MiB: not a plan" }
        } catch let e as MediaError { throw Invalid(file: file, cause: e.cause) }
        guard let text = String(data: data, encoding: .utf8) else { throw Invalid(file: file, cause: "not UTF-8 text") }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw Invalid(file: file, cause: "not valid YAML: \(error)") }
        guard let node else { return Node([(Node, Node)]()) }
        guard case .mapping = node else { throw Invalid(file: file, cause: "expected a mapping of plan keys (source, presenter, hook, …)") }
        var plan = normalized(node)
        plan = absolutized(plan, directory: (file as NSString).deletingLastPathComponent)
        return removing("output", from: plan)
    }

    /// The merged plan of a job.
    public static func resolve(job: BatchJob, defaults: Node?) throws -> JobPlan {
        var plan = defaults ?? Node([(Node, Node)]())
        var sidecars: [(Node, Node)] = [(Node("source"), Node(job.recording))]
        if let s = job.subtitles {
            var sub: [(Node, Node)] = [(Node("file"), Node(s))]
            if let en = job.subtitlesEnglish { sub.append((Node("english"), Node(en))) }
            sidecars.append((Node("subtitles"), Node(sub)))
        }
        if let p = job.presenter { sidecars.append((Node("presenter"), Node([(Node("file"), Node(p))]))) }
        if let v = job.voice { sidecars.append((Node("audio"), Node([(Node("voice"), Node(v))]))) }
        plan = merged(plan, Node(sidecars))
        if let own = job.plan { plan = merged(plan, try load(own)) }
        let text: String
        do { text = try Yams.serialize(node: plan, width: -1, allowUnicode: true, sortKeys: true) } catch {
            throw Invalid(file: job.plan ?? job.recording, cause: "cannot write the merged plan: \(error)")
        }
        // The merged plan must be a valid plan (the defaults were checked on their own).
        let blamed = job.plan ?? job.recording
        do {
            let decoded = try YAMLDecoder().decode(Plan.self, from: text)
            var options = RenderOptions(input: job.recording, output: "")
            try decoded.apply(to: &options, directory: "/")
        } catch let e as PlanError {
            throw Invalid(file: blamed, cause: e.description)
        } catch let e as RenderFlags.Invalid {
            throw Invalid(file: blamed, cause: e.message)
        } catch let e as DecodingError {
            throw Invalid(file: blamed, cause: Plan.describe(e))
        }
        return JobPlan(text: text)
    }

    /// Reads the folder's defaults, checked as a plan on their own: every key known and
    /// well-typed (a field a job's sidecar supplies, like `presenter.file`, may be missing).
    public static func loadDefaults(_ file: String) throws -> Node {
        let node = try load(file)
        do {
            _ = try YAMLDecoder().decode(Plan.self, from: try Yams.serialize(node: node))
        } catch let e as DecodingError {
            if case .keyNotFound = e { return node }
            throw Invalid(file: file, cause: Plan.describe(e))
        } catch let e as PlanError {
            throw Invalid(file: file, cause: e.description)
        }
        return node
    }

    /// `presenter: me.webm` → `presenter: {file: me.webm}` (and the same for subtitles and
    /// `layout: pip` → `{template: pip}`), so a sidecar or a job plan can override one field
    /// of a default given in the short form.
    static func normalized(_ node: Node) -> Node {
        guard case .mapping(let m) = node else { return node }
        let short = ["presenter": "file", "subtitles": "file", "layout": "template"]
        return Node(m.map { pair -> (Node, Node) in
            if let key = pair.key.string, let field = short[key], case .scalar = pair.value {
                return (pair.key, Node([(Node(field), pair.value)]))
            }
            return pair
        })
    }

    /// `b` over `a`: mappings merge key by key, anything else is replaced.
    static func merged(_ a: Node, _ b: Node) -> Node {
        guard case .mapping(let ma) = a, case .mapping(let mb) = b else { return b }
        var pairs = Array(ma.map { ($0.key, $0.value) })
        for (key, value) in mb {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = merged(pairs[i].1, value) } else { pairs.append((key, value)) }
        }
        return Node(pairs)
    }

    static func removing(_ key: String, from node: Node) -> Node {
        guard case .mapping(let m) = node else { return node }
        return Node(m.filter { $0.key.string != key }.map { ($0.key, $0.value) })
    }

    static func absolutized(_ node: Node, directory: String) -> Node {
        func absolute(_ value: Node) -> Node {
            guard case .scalar(let s) = value, !s.string.isEmpty, !s.string.hasPrefix("/") else { return value }
            return Node(URL(fileURLWithPath: (directory as NSString).appendingPathComponent(s.string)).standardizedFileURL.path)
        }
        func rewrite(_ node: Node, _ path: [String]) -> Node {
            guard case .mapping(let m) = node else { return node }
            return Node(m.map { pair -> (Node, Node) in
                let key = pair.key.string ?? ""
                let here = path + [key]
                if pathKeys.contains(here) { return (pair.key, absolute(pair.value)) }
                if key == "stickers", path.isEmpty, case .sequence(let list) = pair.value {
                    return (pair.key, Node(list.map { sticker in
                        guard case .mapping(let sm) = sticker else { return sticker }
                        return Node(sm.map { $0.key.string == "image" ? ($0.key, absolute($0.value)) : ($0.key, $0.value) })
                    }))
                }
                if path.isEmpty, ["presenter", "subtitles", "audio"].contains(key) { return (pair.key, rewrite(pair.value, here)) }
                return pair
            })
        }
        return rewrite(node, [])
    }

    /// Files a plan names (to keep a shared presenter or music track in the folder from
    /// being taken for a recording).
    public static func files(in node: Node) -> [String] {
        var out: [String] = []
        for path in pathKeys {
            var n: Node? = node
            for k in path { n = n?[k] }
            if let s = n?.string { out.append(s) }
        }
        if case .sequence(let list)? = node["stickers"] { out += list.compactMap { $0["image"]?.string } }
        return out
    }
}
