import Foundation
import XCTest
@testable import ReelKit
import ReelMedia

/// A render is a value: the planner makes every decision and checks every number, whatever
/// built the options; the job it returns survives a round trip through JSON unchanged.
final class RenderJobTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let recording = root.appendingPathComponent("Fixtures/media/recording-16x9.mp4").path

    /// Options a library caller (or a merged plan) built directly, bypassing flag and plan
    /// parsing: the planner itself refuses numbers out of range, naming them.
    func testPlannerRefusesOutOfRangeNumbersFromAnySource() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("reel-job-\(getpid()).mp4").path
        let cases: [(String, (inout RenderOptions) -> Void)] = [
            ("--loudness", { $0.loudness = -100 }), ("--hook-zoom", { $0.hookZoom = 3 }),
            ("--caption-size-zh", { $0.captions.chinese.size = 4000 }), ("--caption-size-en", { $0.captions.english.size = 1 }),
            ("audio.true_peak", { $0.truePeak = 3 }), ("--duck", { $0.duckDepth = .nan }),
        ]
        for (name, change) in cases {
            var o = RenderOptions(input: Self.recording, output: out)
            change(&o)
            XCTAssertThrowsError(try RenderPlanner().plan(o), name) { error in
                let e = error as? MediaError
                XCTAssertEqual(e?.kind, .usage, "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(name), "\(name): \(error)")
            }
            // From a plan the same value is the plan's mistake (exit 65), named by key path.
            o.planPath = "/tmp/plan.yaml"
            XCTAssertThrowsError(try RenderPlanner().plan(o), name) { error in
                XCTAssertEqual((error as? MediaError)?.kind, .invalidInput, "\(name): \(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// Planning writes nothing (no temporary output either) and its job is a Codable value
    /// that encodes and decodes to the same decisions.
    func testJobIsACodableValueAndPlanningWritesNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-job-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = RenderOptions(input: Self.recording, output: dir.appendingPathComponent("out.mp4").path)
        o.trimEnd = 2
        o.hook = .range(start: 1, duration: 1)
        o.crop = .auto
        let job = try RenderPlanner().plan(o)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "planning wrote a file")
        XCTAssertEqual(job.edit.segments.count, 2)
        XCTAssertTrue(job.edit.segments[0].isHook)
        XCTAssertEqual(job.expectedFrames, 90, "1 s hook + 2 s body at 30 fps")
        XCTAssertLessThan(job.crop.width, 640, "auto found the content column")
        XCTAssertNotNil(job.cropReason)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(job)
        let back = try JSONDecoder().decode(RenderJob.self, from: data)
        XCTAssertEqual(back.edit, job.edit)
        XCTAssertEqual(back.crop, job.crop)
        XCTAssertEqual(back.layout, job.layout)
        XCTAssertEqual(back.audio, job.audio)
        XCTAssertEqual(back.encoder, job.encoder)
        XCTAssertEqual(back.source, job.source)
        XCTAssertEqual(back.options.captions.chinese, job.options.captions.chinese)
        XCTAssertEqual(back.options.hook, job.options.hook)
        XCTAssertEqual(try encoder.encode(back), data, "a second round trip changes nothing")
    }
}
