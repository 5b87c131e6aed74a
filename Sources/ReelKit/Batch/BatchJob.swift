import Foundation

/// One recording of a batch folder and the sidecar files that configure it (same base name).
public struct BatchJob: Sendable, Equatable {
    /// The recording's base name: `talk` for `talk.mp4`; names the output `talk.mp4` too.
    public var name: String
    public var recording: String
    /// `NAME.srt` (bilingual), or `NAME.zh.srt` with `NAME.en.srt` (also .vtt/.ass).
    public var subtitles: String?
    public var subtitlesEnglish: String?
    /// `NAME.yaml` / `NAME.yml` / `NAME.json`: a plan that overrides the folder defaults.
    public var plan: String?
    public var presenter: String?
    public var voice: String?

    /// Every sidecar present, for fingerprints and `--dry-run`.
    public var sidecars: [String] { [subtitles, subtitlesEnglish, plan, presenter, voice].compactMap { $0 } }
}

/// Finds the jobs of a batch folder: every recording (by extension) in a stable sorted order,
/// each with its sidecars. Files named `NAME.presenter.*` / `NAME.voice.*`, subtitles, plans,
/// `batch.yaml` and the files `batch.yaml` names (a shared presenter, music) are not jobs.
public enum JobDiscovery {
    /// Containers that hold a recording. Audio-only and image extensions are left out on
    /// purpose: they are voices, music and presenters, never recordings.
    public static let recordingExtensions: Set<String> = [
        "mp4", "m4v", "mov", "mkv", "webm", "avi", "flv", "ts", "mts", "m2ts", "mpg", "mpeg",
        "wmv", "3gp", "ogv", "mxf", "gif",
    ]
    static let subtitleExtensions = ["srt", "vtt", "ass"]
    static let planExtensions = ["yaml", "yml", "json"]
    static let defaultsNames = ["batch.yaml", "batch.yml", "batch.json"]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The folder-level defaults file, when there is one.
    public static func defaultsFile(in folder: String) -> String? {
        defaultsNames.map { (folder as NSString).appendingPathComponent($0) }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// - Parameter excluded: absolute paths that are not jobs even if they look like recordings
    ///   (files the folder defaults use).
    public static func discover(folder: String, excluding excluded: Set<String> = []) throws -> [BatchJob] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory) else { throw Failure(description: "no such folder") }
        guard isDirectory.boolValue else { throw Failure(description: "is not a folder (reel batch takes a folder of recordings)") }
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { throw Failure(description: "cannot read the folder") }
        let files = Set(names.filter { !$0.hasPrefix(".") })
        let lowered = Dictionary(files.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, b in min(a, b) })
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        func sidecar(_ base: String, _ suffixes: [String]) -> String? {
            for s in suffixes { if let n = lowered["\(base).\(s)".lowercased()] { return path(n) } }
            return nil
        }
        func tagged(_ base: String, _ tag: String) -> String? {
            files.sorted().first { n in
                let prefix = "\(base).\(tag)."
                return n.count > prefix.count && n.lowercased().hasPrefix(prefix.lowercased())
            }.map(path)
        }
        // A recording called X.presenter.mp4 is the presenter of X when X is a recording too.
        let candidates = files.filter { recordingExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        let bases = Set(candidates.map { ($0 as NSString).deletingPathExtension })
        var jobs: [BatchJob] = []
        for file in candidates.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let full = path(file)
            if excluded.contains(full) || excluded.contains(URL(fileURLWithPath: full).standardizedFileURL.path) { continue }
            let base = (file as NSString).deletingPathExtension
            if let dot = base.lastIndex(of: "."), ["presenter", "voice"].contains(base[base.index(after: dot)...].lowercased()),
               bases.contains(String(base[..<dot])) {
                continue
            }
            var job = BatchJob(name: base, recording: full)
            let zh = sidecar(base, subtitleExtensions.map { "zh.\($0)" })
            let en = sidecar(base, subtitleExtensions.map { "en.\($0)" })
            if let single = sidecar(base, subtitleExtensions) {
                job.subtitles = single
                job.subtitlesEnglish = en
            } else if let zh {
                job.subtitles = zh
                job.subtitlesEnglish = en
            } else {
                job.subtitles = en
            }
            job.plan = sidecar(base, planExtensions)
            job.presenter = tagged(base, "presenter")
            job.voice = tagged(base, "voice")
            jobs.append(job)
        }
        // Two recordings with one base name (talk.mp4, talk.mov) would write one output.
        var seen: [String: String] = [:]
        for job in jobs {
            if let other = seen[job.name] {
                throw Failure(description: "\((other as NSString).lastPathComponent) and \((job.recording as NSString).lastPathComponent) would both render to \(job.name).mp4; rename one")
            }
            seen[job.name] = job.recording
        }
        return jobs
    }
}
