import Foundation
import XCTest

/// A batch folder of small generated recordings (made by ffmpeg in a temp folder), and
/// `reel batch` run on it with its JSON events parsed.
struct BatchFixture {
    let root: URL
    var input: URL { root.appendingPathComponent("in") }
    var output: URL { root.appendingPathComponent("out") }

    /// `names` become copies of one 0.4 s 160x120 recording with a tone; `corrupt` are
    /// random bytes with a video extension. `batch.yaml` makes every job tiny and fast.
    init(names: [String], corrupt: [String] = [], defaults: String = "size: 180x320\nfps: 25\npreset: ultrafast\ncrf: 35\n") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("reel-batch-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("in"), withIntermediateDirectories: true)
        let first = input.appendingPathComponent("source.mkv")
        let ffmpeg = Paths.which("ffmpeg")!
        let r = try runProcess(ffmpeg, ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
                                        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "0.4",
                                        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", first.path])
        guard r.exitCode == 0 else { throw TestFailure(r.summary) }
        for name in names {
            try FileManager.default.copyItem(at: first, to: input.appendingPathComponent("\(name).mp4"))
        }
        try FileManager.default.removeItem(at: first)
        for name in corrupt {
            var bytes = [UInt8](repeating: 0, count: 4096)
            for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
            try Data(bytes).write(to: input.appendingPathComponent("\(name).mp4"))
        }
        try defaults.write(to: input.appendingPathComponent("batch.yaml"), atomically: true, encoding: .utf8)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: input.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Files in OUTDIR named like a temporary (`.NAME.reel-PID.ext`).
    func temporaries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).filter { $0.contains(".reel-") }
    }

    func outputs() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).filter { $0.hasSuffix(".mp4") && !$0.hasPrefix(".") }.sorted()
    }

    /// Runs `reel batch IN -o OUT --progress json ARGS` and returns its events.
    func batch(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> BatchRun {
        let result = try runBatchProcess(["batch", input.path, "-o", output.path, "--progress", "json"] + arguments,
                                         environment: environment, timeout: timeout)
        return BatchRun(result: result)
    }
}

struct BatchRun {
    let result: ProcessResult
    var events: [[String: Any]] {
        result.stdoutString.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
    func jobs(_ event: String) -> [String] {
        events.filter { $0["event"] as? String == event }.compactMap { $0["job"] as? String }.sorted()
    }
    func reason(_ job: String) -> String {
        events.first { $0["event"] as? String == "failed" && $0["job"] as? String == job }?["reason"] as? String ?? ""
    }
    var summary: [String: Any]? { events.first { $0["event"] as? String == "summary" } }
}

/// `reel ARGS` with extra environment variables (the test-only fault hook).
func runBatchProcess(_ arguments: [String], environment: [String: String], timeout: TimeInterval) throws -> ProcessResult {
    try runProcessWithEnvironment(Paths.reel, arguments, environment: environment, timeout: timeout)
}

/// Width, height and duration of a video, by ffprobe.
func probeVideo(_ file: URL) throws -> (width: Int, height: Int, duration: Double) {
    let r = try runProcess(Paths.which("ffprobe")!, ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                      "stream=width,height:format=duration", "-of", "default=nw=1", file.path])
    guard r.exitCode == 0 else { throw TestFailure(r.summary) }
    var values: [String: String] = [:]
    for line in r.stdoutString.split(separator: "\n") {
        let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
        if kv.count == 2 { values[kv[0]] = kv[1] }
    }
    return (Int(values["width"] ?? "") ?? 0, Int(values["height"] ?? "") ?? 0, Double(values["duration"] ?? "") ?? 0)
}
