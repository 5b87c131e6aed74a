// Helpers for the end-to-end tests: locate the built `reel` binary and the
// fixtures, run processes, and inspect outputs with ffprobe/ffmpeg only (the
// tests never use reel to check reel).

import Foundation
import XCTest

// MARK: - Errors

/// Thrown from helpers; XCTest reports `description` as the failure.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Locations

enum Paths {
    /// Repo root: this file is Tests/ReelCLITests/Support.swift.
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ relativePath: String) -> URL {
        repoRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// Directory holding the built products (`.build/<triple>/debug`): the
    /// standard SwiftPM pattern. On Linux the test runner executable lives
    /// there; on macOS it is the parent of the .xctest bundle.
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent()
        #else
        return Bundle.main.bundleURL
        #endif
    }

    /// The reel under test: the debug build next to the test runner, or the binary named by
    /// `REEL_TEST_BINARY` (unset in CI; for timing the suite against another build, e.g. a
    /// release reel, as measured in the CI-time notes).
    static var reel: URL {
        if let path = ProcessInfo.processInfo.environment["REEL_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return productsDirectory.appendingPathComponent("reel")
    }

    /// First match for `name` on PATH (plus the usual system directories).
    static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: dir).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

// MARK: - Running processes

struct ProcessResult {
    let command: [String]
    let exitCode: Int32
    let stdout: Data
    let stderr: Data
    let timedOut: Bool

    var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
    var stderrString: String { String(decoding: stderr, as: UTF8.self) }

    /// Short human-readable summary for assertion messages.
    var summary: String {
        var s = "`\(command.joined(separator: " "))` exited \(exitCode)"
        if timedOut { s += " (killed: timeout)" }
        let err = stderrString.trimmingCharacters(in: .whitespacesAndNewlines)
        if !err.isEmpty { s += "\nstderr:\n" + String(err.suffix(2000)) }
        return s
    }
}

/// Runs `executable` with `arguments`, capturing stdout/stderr into temp files
/// (not pipes, so large outputs such as raw video frames cannot deadlock).
/// Kills the process after `timeout` seconds.
@discardableResult
func runProcess(_ executable: URL, _ arguments: [String],
                currentDirectory: URL? = nil, timeout: TimeInterval = 600) throws -> ProcessResult {
    let fm = FileManager.default
    let scratch = fm.temporaryDirectory.appendingPathComponent("reel-e2e-io-\(UUID().uuidString)")
    try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = fm.createFile(atPath: outURL.path, contents: nil)
    _ = fm.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = outHandle
    process.standardError = errHandle
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }

    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    var timedOut = false
    if done.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        done.wait()
    }
    try outHandle.close()
    try errHandle.close()
    return ProcessResult(command: [executable.path] + arguments,
                         exitCode: process.terminationStatus,
                         stdout: try Data(contentsOf: outURL),
                         stderr: try Data(contentsOf: errURL),
                         timedOut: timedOut)
}

// MARK: - ffprobe / ffmpeg

enum Tools {
    static let ffprobe = Paths.which("ffprobe")
    static let ffmpeg = Paths.which("ffmpeg")

    static func requireFFmpeg() throws -> (ffprobe: URL, ffmpeg: URL) {
        guard let p = ffprobe, let m = ffmpeg else {
            // Scripts/test sets REEL_REQUIRE_TOOLS: there a missing checker fails the run
            // instead of letting it go green having checked nothing.
            if ProcessInfo.processInfo.environment["REEL_REQUIRE_TOOLS"] != nil {
                throw TestFailure("ffprobe/ffmpeg not on PATH: Scripts/setup installs them")
            }
            throw XCTSkip("ffprobe/ffmpeg not on PATH (run Scripts/setup); end-to-end checks need them")
        }
        return (p, m)
    }
}

/// `ffprobe -of json` decoded with JSONSerialization.
func ffprobeJSON(_ file: URL, _ arguments: [String]) throws -> [String: Any] {
    guard let ffprobe = Tools.ffprobe else { throw TestFailure("ffprobe not found") }
    let r = try runProcess(ffprobe, ["-v", "error", "-of", "json"] + arguments + [file.path])
    guard r.exitCode == 0 else { throw TestFailure("ffprobe failed: \(r.summary)") }
    guard let obj = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any] else {
        throw TestFailure("ffprobe output is not a JSON object: \(r.stdoutString.prefix(500))")
    }
    return obj
}

/// Streams and format of a media file.
struct MediaInfo {
    let streams: [[String: Any]]
    let format: [String: Any]

    init(_ file: URL) throws {
        let j = try ffprobeJSON(file, ["-show_streams", "-show_format"])
        streams = j["streams"] as? [[String: Any]] ?? []
        format = j["format"] as? [String: Any] ?? [:]
    }

    func streams(_ type: String) -> [[String: Any]] {
        streams.filter { $0.str("codec_type") == type }
    }
    var video: [String: Any]? { streams("video").first }
    var audio: [String: Any]? { streams("audio").first }
    var duration: Double? { format.num("duration") }
}

/// One packet of a stream, in file (decode) order.
struct Packet {
    let pts: Int64
    let dts: Int64
    let duration: Int64
    let isKey: Bool
}

/// Packets of the first stream of `type` ("v" or "a") plus that stream's time base.
func packets(_ file: URL, stream: String) throws -> (packets: [Packet], timeBase: Double) {
    let j = try ffprobeJSON(file, ["-select_streams", "\(stream):0",
                                   "-show_entries", "packet=pts,dts,duration,flags:stream=time_base"])
    guard let tbString = (j["streams"] as? [[String: Any]])?.first?.str("time_base"),
          let tb = parseRational(tbString), tb > 0 else {
        throw TestFailure("no \(stream) stream time_base in \(file.lastPathComponent)")
    }
    let raw = j["packets"] as? [[String: Any]] ?? []
    let list = raw.map { p in
        Packet(pts: p.int64("pts") ?? Int64.min,
               dts: p.int64("dts") ?? Int64.min,
               duration: p.int64("duration") ?? 0,
               isKey: (p.str("flags") ?? "").contains("K"))
    }
    return (list, tb)
}

/// Decodes one video frame with ffmpeg to raw pixels (`pixFmt` gray or rgb24).
/// `filter` is applied before the final format conversion.
struct Frame {
    let width: Int
    let height: Int
    let channels: Int
    let bytes: [UInt8]

    func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<channels).map { value(x, y, $0) } }

    /// Channel `c` of the pixel at (x, y), without building an array (see `difference`).
    func value(_ x: Int, _ y: Int, _ c: Int) -> Int { Int(bytes[(y * width + x) * channels + c]) }

    /// Sum over the channels of |self - other| at (x, y). Allocates nothing: whole-frame loops
    /// call it millions of times in the unoptimized test build.
    func difference(from other: Frame, _ x: Int, _ y: Int) -> Int {
        let i = (y * width + x) * channels
        var sum = 0
        for c in 0..<channels { sum += abs(Int(bytes[i + c]) - Int(other.bytes[i + c])) }
        return sum
    }

    /// Mean of each channel over a (2r+1)^2 block centred on (x, y), clamped to the frame.
    func average(_ x: Int, _ y: Int, radius r: Int = 4) -> [Double] {
        var sum = [Double](repeating: 0, count: channels)
        var n = 0.0
        for yy in max(0, y - r)...min(height - 1, y + r) {
            for xx in max(0, x - r)...min(width - 1, x + r) {
                let p = pixel(xx, yy)
                for c in 0..<channels { sum[c] += Double(p[c]) }
                n += 1
            }
        }
        return sum.map { $0 / n }
    }
}

func decodeFrame(_ file: URL, pixFmt: String, filter: String? = nil,
                 width: Int, height: Int, seek: Double? = nil) throws -> Frame {
    guard let ffmpeg = Tools.ffmpeg else { throw TestFailure("ffmpeg not found") }
    var args = ["-nostdin", "-v", "error"]
    if let seek { args += ["-ss", String(seek)] }
    args += ["-i", file.path, "-frames:v", "1"]
    args += ["-vf", (filter.map { $0 + "," } ?? "") + "format=\(pixFmt)"]
    args += ["-f", "rawvideo", "-pix_fmt", pixFmt, "-"]
    let r = try runProcess(ffmpeg, args)
    let channels = pixFmt == "gray" ? 1 : 3
    guard r.exitCode == 0, r.stdout.count == width * height * channels else {
        throw TestFailure("decoding a \(width)x\(height) \(pixFmt) frame of \(file.lastPathComponent) got "
                          + "\(r.stdout.count) bytes: \(r.summary)")
    }
    return Frame(width: width, height: height, channels: channels, bytes: [UInt8](r.stdout))
}

/// RGB as the file's own flags say it should be shown: BT.709, limited range
/// (what reel promises to write), converted explicitly so ffmpeg defaults don't matter.
func decodeRGB709(_ file: URL, width: Int, height: Int, seek: Double? = nil) throws -> Frame {
    try decodeFrame(file, pixFmt: "rgb24", filter: "scale=in_color_matrix=bt709:in_range=tv",
                    width: width, height: height, seek: seek)
}

/// Runs an ffmpeg audio filter over the whole file and returns stderr (where
/// volumedetect/astats print their reports).
func audioFilterReport(_ file: URL, filter: String) throws -> String {
    guard let ffmpeg = Tools.ffmpeg else { throw TestFailure("ffmpeg not found") }
    let r = try runProcess(ffmpeg, ["-nostdin", "-hide_banner", "-v", "info", "-i", file.path,
                                    "-vn", "-af", filter, "-f", "null", "-"])
    guard r.exitCode == 0 else { throw TestFailure("ffmpeg \(filter) failed: \(r.summary)") }
    return r.stderrString
}

/// volumedetect's max_volume in dB (-91 means digital silence).
func maxVolume(_ file: URL) throws -> Double {
    let report = try audioFilterReport(file, filter: "volumedetect")
    for line in report.split(separator: "\n") {
        if let range = line.range(of: "max_volume:") {
            let rest = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if let v = Double(rest.split(separator: " ").first ?? "") { return v }
        }
    }
    throw TestFailure("no max_volume in volumedetect report for \(file.lastPathComponent):\n\(report.suffix(1000))")
}

/// Decodes every frame (video and audio) and fails on any decoder error.
func decodeAll(_ file: URL) throws -> ProcessResult {
    guard let ffmpeg = Tools.ffmpeg else { throw TestFailure("ffmpeg not found") }
    return try runProcess(ffmpeg, ["-nostdin", "-v", "error", "-xerror", "-i", file.path, "-f", "null", "-"])
}

// MARK: - MP4 boxes (read directly, no tools)

struct Box {
    let type: String
    let offset: Int
    let size: Int
    let headerSize: Int
}

/// Top-level ISO BMFF boxes: 32-bit big-endian size + 4-char type; size 1
/// means a 64-bit size follows, size 0 means "to end of file".
func topLevelBoxes(_ data: Data) throws -> [Box] {
    let bytes = [UInt8](data)
    func be(_ at: Int, _ n: Int) -> UInt64 {
        (0..<n).reduce(UInt64(0)) { ($0 << 8) | UInt64(bytes[at + $1]) }
    }
    var boxes: [Box] = []
    var offset = 0
    while offset + 8 <= bytes.count {
        var size = Int(be(offset, 4))
        let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
        var header = 8
        if size == 1 {
            guard offset + 16 <= bytes.count else { throw TestFailure("truncated largesize box \(type)") }
            size = Int(be(offset + 8, 8))
            header = 16
        } else if size == 0 {
            size = bytes.count - offset
        }
        guard size >= header, offset + size <= bytes.count else {
            throw TestFailure("bad box \(type) at \(offset): size \(size), file \(bytes.count) bytes")
        }
        boxes.append(Box(type: type, offset: offset, size: size, headerSize: header))
        offset += size
    }
    guard offset == bytes.count else { throw TestFailure("\(bytes.count - offset) trailing bytes after last box") }
    return boxes
}

extension Data {
    func contains(ascii needle: String) -> Bool {
        range(of: Data(needle.utf8)) != nil
    }
}

// MARK: - Small parsing helpers

func parseRational(_ s: String) -> Double? {
    let parts = s.split(separator: "/")
    if parts.count == 2, let n = Double(parts[0]), let d = Double(parts[1]) { return d == 0 ? nil : n / d }
    return Double(s)
}

extension Dictionary where Key == String, Value == Any {
    func str(_ key: String) -> String? {
        switch self[key] {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }
    func num(_ key: String) -> Double? {
        switch self[key] {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return Double(s)
        default: return nil
        }
    }
    func int(_ key: String) -> Int? { num(key).map { Int($0) } }
    func int64(_ key: String) -> Int64? {
        switch self[key] {
        case let n as NSNumber: return n.int64Value
        case let s as String: return Int64(s)
        default: return nil
        }
    }
}

// MARK: - Base test case

/// Base class: checks tools and the reel binary, gives each test a fresh
/// output directory, and wraps `reel` invocations.
class ReelTestCase: XCTestCase {
    var workDir: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try Tools.requireFFmpeg()
        let reel = Paths.reel
        guard FileManager.default.isExecutableFile(atPath: reel.path) else {
            throw TestFailure("reel binary not found at \(reel.path) (productsDirectory = "
                              + "\(Paths.productsDirectory.path), REEL_TEST_BINARY = "
                              + "\(ProcessInfo.processInfo.environment["REEL_TEST_BINARY"] ?? "unset")); build it with `swift build`")
        }
        workDir = FileManager.default.temporaryDirectory
            .appendingPathComponent("reel-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let workDir { try? FileManager.default.removeItem(at: workDir) }
        try super.tearDownWithError()
    }

    /// Runs reel with `arguments`.
    func reel(_ arguments: [String], timeout: TimeInterval = 600) throws -> ProcessResult {
        try runProcess(Paths.reel, arguments, currentDirectory: workDir, timeout: timeout)
    }

    /// `reel render FIXTURE -o WORKDIR/NAME.mp4 --force ARGS`; throws (failing
    /// the test) unless reel exits 0 and the output exists.
    func render(_ fixture: String, _ arguments: [String] = [], name: String? = nil) throws -> URL {
        let input = Paths.fixture(fixture)
        let output = workDir.appendingPathComponent((name ?? "out") + ".mp4")
        let r = try reel(["render", input.path, "-o", output.path, "--force"] + arguments)
        guard r.exitCode == 0 else { throw TestFailure("render failed: \(r.summary)") }
        guard FileManager.default.fileExists(atPath: output.path) else {
            throw TestFailure("reel exited 0 but wrote nothing at \(output.path): \(r.summary)")
        }
        return output
    }
}
