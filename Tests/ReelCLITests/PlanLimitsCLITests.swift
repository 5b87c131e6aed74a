import XCTest

/// Plan bounds through `reel render`: one `reel:` line naming the plan and the flag that
/// raises the bound, exit 65, at once; the flags themselves are range-checked (exit 64).
final class PlanLimitsCLITests: ReelTestCase {
    func testAliasBombPlanIsRefusedAtOnce() throws {
        var lines = ["source: rec.mp4", "l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 { lines.append("l\(level): &l\(level) [\(Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", "))]") }
        lines.append("? *l8\n: 1")
        let plan = workDir.appendingPathComponent("bomb.yaml")
        try (lines.joined(separator: "\n") + "\n").write(to: plan, atomically: true, encoding: .utf8)
        let out = workDir.appendingPathComponent("out.mp4")
        let start = Date()
        let r = try reel(["render", plan.path, "-o", out.path], timeout: 60)
        XCTAssertEqual(r.exitCode, 65, r.summary)
        XCTAssertEqual(r.stderrString, "reel: \(plan.path): plan has 73 aliases (*name), over the limit of 64 (--plan-max-aliases raises it)\n")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))

        let raised = try reel(["render", plan.path, "-o", out.path, "--plan-max-aliases", "100"], timeout: 60)
        XCTAssertEqual(raised.exitCode, 65, raised.summary)
        XCTAssertTrue(raised.stderrString.contains("aliases expand it past 16777216 bytes"), raised.summary)

        for bad in ["--plan-max-bytes=0", "--plan-max-aliases=-1"] {
            let r = try reel(["render", plan.path, "-o", out.path, bad], timeout: 60)
            XCTAssertEqual(r.exitCode, 64, r.summary)
            XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, r.summary)
        }
    }
}
