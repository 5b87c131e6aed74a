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
        XCTAssertEqual(r.stderrString, "reel: \(plan.path): plan has 73 aliases (*name), over the limit of 64 (--limit plan-aliases=N raises it)\n")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))

        // `--limit plan-aliases=N` raises it; `--plan-max-aliases N` is the older spelling.
        for raise in [["--limit", "plan-aliases=100"], ["--plan-max-aliases", "100"]] {
            let raised = try reel(["render", plan.path, "-o", out.path] + raise, timeout: 60)
            XCTAssertEqual(raised.exitCode, 65, raised.summary)
            XCTAssertTrue(raised.stderrString.contains("aliases expand it past 16777216 bytes"), raised.summary)
        }
        // Bytes too: this plan (over 500 bytes) under --limit plan-bytes=100 is refused from its size.
        let small = try reel(["render", plan.path, "-o", out.path, "--limit", "plan-bytes=100"], timeout: 60)
        XCTAssertEqual(small.exitCode, 65, small.summary)
        XCTAssertTrue(small.stderrString.contains("over the limit of 100 (--limit plan-bytes=N raises it)"), small.summary)

        for bad in ["--plan-max-bytes=0", "--plan-max-aliases=-1", "--limit=plan-bytes=0", "--limit=plan-aliases=1.5", "--limit=plan-bytes=2000000000"] {
            let r = try reel(["render", plan.path, "-o", out.path, bad], timeout: 60)
            XCTAssertEqual(r.exitCode, 64, r.summary)
            XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, r.summary)
            XCTAssertTrue(r.stderrString.contains(bad.hasPrefix("--limit") ? "--limit plan-" : bad.replacingOccurrences(of: "=", with: " ")), r.summary)
        }
    }
}
