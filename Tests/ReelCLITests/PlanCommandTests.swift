import Foundation
import XCTest

/// `reel plan` freezes the automatic decisions as numbers; rendering the written plan gives the
/// same composed frames (framemd5 of the frames before encoding) as the render it came from.
final class PlanCommandTests: ReelTestCase {
    func testResolvedPlanRendersTheSameFrames() throws {
        let flags = ["--crop", "auto", "--hook", "auto:1", "--presenter", Paths.fixture("media/presenter-talk.mp4").path,
                     "--subtitles", Paths.fixture("subtitles/golden.srt").path, "--trim", "0.5:3.5"]
        let input = Paths.fixture("media/recording-16x9.mp4").path
        let plan = workDir.appendingPathComponent("resolved.yaml")
        let p = try reel(["plan", input] + flags + ["-o", plan.path, "--render-output", "again.mp4"])
        XCTAssertEqual(p.exitCode, 0, p.summary)
        let text = try String(contentsOf: plan, encoding: .utf8)
        // Decisions as numbers: no `auto` left anywhere; the crop and the hook start are values.
        XCTAssertNil(text.range(of: "auto:"), text)
        let crop = try XCTUnwrap(text.firstMatch(of: #/\ncrop: (\d+):(\d+):(\d+):(\d+)\n/#), text)
        XCTAssertLessThan(Int(crop.3)!, 640, "auto found a region narrower than the picture: \(text)")
        XCTAssertNotNil(text.firstMatch(of: #/hook:\n  start: \d+\.\d+\n  duration: 1\.0/#), text)
        XCTAssertNotNil(text.range(of: "presenter_box:"), text)
        XCTAssertNotNil(text.range(of: "output: again.mp4"), text)

        let a = workDir.appendingPathComponent("a.framemd5"), b = workDir.appendingPathComponent("b.framemd5")
        let first = try reel(["render", input] + flags + ["-o", workDir.appendingPathComponent("a.mp4").path, "--frame-hashes", a.path])
        XCTAssertEqual(first.exitCode, 0, first.summary)
        let second = try reel(["render", plan.path, "--frame-hashes", b.path])
        XCTAssertEqual(second.exitCode, 0, second.summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: workDir.appendingPathComponent("again.mp4").path), "the plan's output")
        func frames(_ u: URL) throws -> [Substring] { try String(contentsOf: u, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") } }
        let (ha, hb) = (try frames(a), try frames(b))
        XCTAssertGreaterThan(ha.count, 90)
        XCTAssertEqual(ha, hb, "composed frames differ between the render and its resolved plan")
    }

    func testPlanNeverOverwritesItsInputs() throws {
        let input = Paths.fixture("media/recording-16x9.mp4")
        let before = try Data(contentsOf: input)
        let r = try reel(["plan", input.path, "-o", input.path, "--force"])
        XCTAssertNotEqual(r.exitCode, 0)
        XCTAssertEqual(try Data(contentsOf: input), before)
    }
}
