import Foundation
import XCTest

/// `reel render --stats`: at the end, one line per stage of the scheduler with its times,
/// frames and the fullest its input queue got (issue 16 reads it to find the bottleneck).
final class StatsTests: ReelTestCase {
    func testStatsTableNamesEveryStageAndCountsTheFrames() throws {
        let out = workDir.appendingPathComponent("s.mp4")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "--trim", "0:1", "-o", out.path, "--stats", "-q"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let lines = r.stderrString.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("stage") ?? false, r.stderrString)
        for stage in ["decode", "compose", "encode+mux"] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(stage + " ") }, "\(stage): \(r.stderrString)")
            let cells = line.split(separator: " ")
            XCTAssertEqual(cells.count, 8, line)
            // wall = busy + waits (rounded to hundredths), never negative.
            let numbers = cells[1...4].compactMap { Double($0) }
            XCTAssertEqual(numbers.count, 4, line)
            XCTAssertTrue(numbers.allSatisfy { $0 >= 0 }, line)
            XCTAssertEqual(numbers[0], numbers[1] + numbers[2] + numbers[3], accuracy: 0.03, line)
            if stage != "decode" {
                XCTAssertEqual(Int(cells[5]), 30, "one second at 30 fps: \(line)")
                XCTAssertLessThanOrEqual(Int(cells[7]) ?? 99, 6, "the queue holds at most 6 frames: \(line)")
            }
        }
        // Without the flag nothing is printed.
        let quiet = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "--trim", "0:1", "-o", out.path, "--force", "-q"])
        XCTAssertEqual(quiet.exitCode, 0, quiet.summary)
        XCTAssertEqual(quiet.stderrString, "")
    }
}
