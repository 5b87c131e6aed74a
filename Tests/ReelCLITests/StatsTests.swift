import Foundation
import XCTest

/// `reel render --stats`: at the end, one line per stage of the scheduler with its times,
/// frames and the fullest its input queue got (issue 16 reads it to find the bottleneck).
final class StatsTests: ReelTestCase {
    func testStatsTableNamesEveryStageAndCountsTheFrames() throws {
        let out = workDir.appendingPathComponent("s.mp4")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "--trim", "0:1", "-o", out.path, "--stats", "-q"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        try checkTable(r, stages: ["decode", "compose", "encode", "audio", "mux"])
        // Without the flag nothing is printed.
        let quiet = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "--trim", "0:1", "-o", out.path, "--force", "-q"])
        XCTAssertEqual(quiet.exitCode, 0, quiet.summary)
        XCTAssertEqual(quiet.stderrString, "")
    }

    /// The presenter is decoded in a stage of its own, which --stats shows with the rest.
    func testStatsTableShowsThePresenterStage() throws {
        let out = workDir.appendingPathComponent("p.mp4")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "--trim", "0:1",
                          "--presenter", Paths.fixture("media/presenter-talk.mp4").path, "-o", out.path, "--stats", "-q"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        try checkTable(r, stages: ["decode", "presenter", "compose", "encode", "audio", "mux"])
    }

    /// Every stage has its line: wall = busy + waits, and the stages after decode each
    /// handled the 30 frames of one second.
    private func checkTable(_ r: ProcessResult, stages: [String]) throws {
        let lines = r.stderrString.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("stage") ?? false, r.stderrString)
        XCTAssertEqual(lines.count, stages.count + 1, r.stderrString)
        for stage in stages {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(stage + " ") }, "\(stage): \(r.stderrString)")
            let cells = line.split(separator: " ")
            XCTAssertEqual(cells.count, 8, line)
            // wall = busy + waits (rounded to hundredths), never negative.
            let numbers = cells[1...4].compactMap { Double($0) }
            XCTAssertEqual(numbers.count, 4, line)
            XCTAssertTrue(numbers.allSatisfy { $0 >= 0 }, line)
            XCTAssertEqual(numbers[0], numbers[1] + numbers[2] + numbers[3], accuracy: 0.03, line)
            if stage != "decode" && stage != "presenter" {
                XCTAssertEqual(Int(cells[5]), 30, "one second at 30 fps: \(line)")
                XCTAssertLessThanOrEqual(Int(cells[7]) ?? 99, 6, "every queue holds at most 6 items: \(line)")
            }
        }
    }
}
