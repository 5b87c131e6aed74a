import Foundation
import ReelMedia

/// What a job's output was made from, written beside it as `NAME.mp4.json` once the output
/// is complete. A rerun skips the job when the output is there and this still matches:
/// every input's size and mtime, a content hash of the small files (sidecar subtitles, plans,
/// the folder defaults), the resolved settings, the flags and reel's version.
public struct JobManifest: Codable, Sendable {
    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        /// Seconds since 1970, to the nanosecond the filesystem keeps.
        public var mtime: Double
        /// MD5 of the content (small text files only; media by size and mtime).
        public var md5: String?
    }

    public var job: String
    public var reelVersion: String
    public var fingerprint: String
    public var inputs: [Input]
    /// The merged plan (YAML, keys sorted) and the flags given to every job.
    public var settings: String
    public var flags: [String]
    public var outputSize: Int64
    public var finished: String
    public var seconds: Double
    public var worker: String
    public var render: RenderResult?

    /// Files hashed by content: a sidecar edited within the same second and to the same size
    /// still counts as changed.
    static let hashedExtensions: Set<String> = ["srt", "vtt", "ass", "yaml", "yml", "json", "txt"]

    /// Fingerprint of a job as it would render now; nil fields of `Input` are absent files.
    public static func inputs(of paths: [String]) -> [Input] {
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }.map { path in
            var st = stat()
            guard stat(path, &st) == 0 else { return Input(path: path, size: -1, mtime: 0, md5: nil) }
            let mtime = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
            var md5: String?
            if hashedExtensions.contains((path as NSString).pathExtension.lowercased()), st.st_size < 16 << 20,
               let data = FileManager.default.contents(atPath: path) {
                md5 = FrameHasher.md5([UInt8](data))
            }
            return Input(path: path, size: Int64(st.st_size), mtime: mtime, md5: md5)
        }
    }

    public static func fingerprint(inputs: [Input], settings: String, flags: [String]) -> String {
        var text = "reel \(ReelVersion.string)\n"
        for i in inputs { text += "\(i.path)\t\(i.size)\t\(i.mtime)\t\(i.md5 ?? "-")\n" }
        text += "settings\n\(settings)\nflags\n\(flags.joined(separator: "\u{1F}"))\n"
        return FrameHasher.md5(Array(text.utf8))
    }

    public static func path(forOutput output: String) -> String { output + ".json" }

    public static func read(forOutput output: String) -> JobManifest? {
        guard let data = FileManager.default.contents(atPath: path(forOutput: output)) else { return nil }
        return try? JSONDecoder().decode(JobManifest.self, from: data)
    }

    /// Whether `output` is a finished render of this fingerprint.
    public static func isCurrent(output: String, fingerprint: String) -> Bool {
        guard let m = read(forOutput: output), m.fingerprint == fingerprint else { return false }
        var st = stat()
        return stat(output, &st) == 0 && Int64(st.st_size) == m.outputSize
    }

    /// Written under a temporary name and renamed, like the output itself.
    public func write(forOutput output: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: Self.path(forOutput: output))
    }
}

/// Small files (manifests, failure records, the report) written under a temporary name in
/// the destination folder, then renamed: a reader sees the old file or the new one.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).reel-\(getpid()).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw MediaError(.cannotWrite, path: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let cause = String(cString: strerror(errno))
            unlink(temporary)
            throw MediaError(.cannotWrite, path: path, "cannot write: \(cause)")
        }
    }
}
