import XCTest
import ReelMedia
@testable import ReelKit

/// Recordings whose picture size changes mid-stream (a screen recorder that followed a window
/// resize, two clips joined without re-encoding): crop finding and the leading-blank scan read
/// every frame through a filter rebuilt for its size, and measure it in the stream's declared
/// geometry. Fixtures are made here by the ffmpeg CLI (MPEG-TS keeps each part's parameters
/// in-band, so the joined stream really changes size).
final class SizeChangeTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-sizechange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func ffmpegTool() throws -> String {
        guard let tool = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["REEL_REQUIRE_TOOLS"] != nil { throw Failure(description: "ffmpeg not installed: Scripts/setup installs it") }
            throw XCTSkip("ffmpeg not installed")
        }
        return tool
    }

    /// Runs the ffmpeg CLI; its stdout.
    @discardableResult
    private func ffmpeg(_ arguments: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try ffmpegTool())
        p.currentDirectoryURL = dir
        p.arguments = ["-nostdin", "-v", "error", "-y"] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "ffmpeg: \(String(decoding: errors, as: UTF8.self))") }
        return data
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Two parts of `seconds` each, made from lavfi sources, joined by the concat demuxer
    /// (stream copy) into one MPEG-TS.
    private func joined(_ first: String, _ second: String, seconds: Int = 2) throws -> String {
        for (name, source) in [("a.ts", first), ("b.ts", second)] {
            try ffmpeg(["-f", "lavfi", "-i", "\(source):r=25", "-t", "\(seconds)", "-c:v", "libx264", "-pix_fmt", "yuv420p", name])
        }
        try Data("file 'a.ts'\nfile 'b.ts'\n".utf8).write(to: dir.appendingPathComponent("list.txt"))
        try ffmpeg(["-f", "concat", "-i", "list.txt", "-c", "copy", "joined.ts"])
        return dir.appendingPathComponent("joined.ts").path
    }

    /// Gray pixels of the first frame at or after `seconds`, scaled by ffmpeg to `width`x`height`
    /// (decoded from the start: ffmpeg's own seek in an MPEG-TS lands on any packet).
    private func ffmpegGray(_ path: String, at seconds: Double, width: Int, height: Int) throws -> [UInt8] {
        [UInt8](try ffmpeg(["-i", path, "-vf", "select=gte(t\\,\(seconds - 0.02)),scale=\(width):\(height):flags=area,format=gray",
                            "-frames:v", "1", "-f", "rawvideo", "-"]))
    }

    private func mean(_ pixels: [UInt8]) -> Double { Double(pixels.reduce(0) { $0 + Int($1) }) / Double(max(1, pixels.count)) }

    /// Samples from both parts: the small ones all `sampleWidth` wide at the declared aspect, the
    /// full ones all at the declared 640x360 (the 320x240 part was 320x240 before), and each
    /// shows its own frame (compared with ffmpeg's picture of it at the same size).
    func testCropSamplesOfARecordingThatChangesSize() throws {
        let path = try joined("testsrc2=s=640x360", "smptebars=s=320x240")
        let info = try Probe.inspect(path: path, scanPackets: 0)
        let stream = try XCTUnwrap(info.video)
        XCTAssertEqual(stream.width, 640)
        let source = SourcePicture(stream: stream)
        let samples = try CropFinder.sample(path: path, source: source, videoStream: stream.index, duration: 4,
                                            trimStart: nil, trimEnd: nil, count: 4, fullEvery: 1, small: true)
        XCTAssertEqual(samples.small.map { "\($0.width)x\($0.height)" }, Array(repeating: "480x270", count: 4))
        XCTAssertEqual(samples.full.map { "\($0.width)x\($0.height)" }, Array(repeating: "640x360", count: 4))
        guard samples.full.count == 4 else { return }
        for (k, t) in [0.5, 1.5, 2.5, 3.5].enumerated() {
            let expected = mean(try ffmpegGray(path, at: t, width: 640, height: 360))
            XCTAssertEqual(mean(samples.full[k].pixels), expected, accuracy: 4, "sample at \(t) s")
        }
        // The two parts really differ (the check above could not pass with the first part's frames).
        XCTAssertGreaterThan(abs(mean(samples.full[0].pixels) - mean(samples.full[3].pixels)), 10)
    }

    /// A recording that opens on a second of black at 320x240 and goes on at 640x360: content
    /// starts at 1 s, found through a thumbnail filter rebuilt for the new size.
    func testLeadingBlackBeforeASizeChange() throws {
        let path = try joined("color=c=black:s=320x240", "testsrc2=s=640x360", seconds: 1)
        let start = try XCTUnwrap(try LeadingBlank.contentStart(path: path, limit: 1.8))
        XCTAssertEqual(start, 1.0, accuracy: 0.05)
    }
}
