import Foundation
import XCTest

/// `reel batch` end to end: a folder of tiny generated recordings with sidecars, one corrupt
/// and one that crashes the renderer (test-only hook), reruns, shards and claims.
final class BatchTests: XCTestCase {
    func testFailuresAreIsolatedReportedAndRerunsSkipWhatIsDone() throws {
        let f = try BatchFixture(names: ["alpha", "beta", "crash", "gamma"], corrupt: ["broken"])
        defer { f.remove() }
        try f.write("alpha.srt", "1\n00:00:00,000 --> 00:00:00,400\n你好\nHello\n")
        try f.write("beta.zh.srt", "1\n00:00:00,000 --> 00:00:00,400\n世界\n")
        try f.write("beta.en.srt", "1\n00:00:00,000 --> 00:00:00,400\nWorld\n")
        try f.write("gamma.yaml", "background: '#203040'\nsize: 270x480\n")
        let fault = ["REEL_TEST_FAULT": "crash:crash"]

        let first = try f.batch([], environment: fault)
        XCTAssertEqual(first.result.exitCode, 1, first.result.summary)
        XCTAssertEqual(first.jobs("done"), ["alpha", "beta", "gamma"], first.result.stdoutString)
        XCTAssertEqual(first.jobs("failed"), ["broken", "crash"])
        XCTAssertTrue(first.reason("broken").contains("not a readable media file"), first.reason("broken"))
        XCTAssertTrue(first.reason("crash").contains("SIGSEGV"), first.reason("crash"))
        XCTAssertTrue(first.result.stderrString.contains("logs/crash.log"), "summary names the log: \(first.result.stderrString)")
        XCTAssertEqual(f.outputs(), ["alpha.mp4", "beta.mp4", "gamma.mp4"])
        XCTAssertEqual(f.temporaries(), [], "a crashed render's temporary file is removed")
        let alpha = try probeVideo(f.output.appendingPathComponent("alpha.mp4"))
        XCTAssertEqual(alpha.width, 180); XCTAssertEqual(alpha.height, 320)
        let gamma = try probeVideo(f.output.appendingPathComponent("gamma.mp4"))
        XCTAssertEqual(gamma.width, 270, "NAME.yaml overrides batch.yaml"); XCTAssertEqual(gamma.height, 480)
        // The manifest names every input of beta, sidecars hashed by content.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: f.output.appendingPathComponent("beta.mp4.json"))) as! [String: Any]
        let inputs = (manifest["inputs"] as! [[String: Any]]).map { ($0["path"] as! String as NSString).lastPathComponent }
        XCTAssertEqual(Set(inputs), ["beta.mp4", "beta.zh.srt", "beta.en.srt", "batch.yaml"])
        XCTAssertTrue((manifest["settings"] as! String).contains("english: "), "both subtitle files are used")
        let report = try String(contentsOf: f.output.appendingPathComponent("report.html"), encoding: .utf8)
        for name in ["alpha", "beta", "gamma", "broken", "crash"] { XCTAssertTrue(report.contains("data-job=\"\(name)\""), name) }

        // Rerun: the finished jobs are skipped, the failed ones tried again.
        let second = try f.batch([], environment: fault)
        XCTAssertEqual(second.result.exitCode, 1)
        XCTAssertEqual(second.jobs("skipped"), ["alpha", "beta", "gamma"])
        XCTAssertEqual(second.jobs("failed"), ["broken", "crash"])

        // Change one sidecar: only that job renders again; without the fault all succeed.
        try f.write("beta.en.srt", "1\n00:00:00,000 --> 00:00:00,400\nWorld!\n")
        try FileManager.default.removeItem(at: f.input.appendingPathComponent("broken.mp4"))
        let third = try f.batch([])
        XCTAssertEqual(third.result.exitCode, 0, third.result.summary)
        XCTAssertEqual(third.jobs("done"), ["beta", "crash"])
        XCTAssertEqual(third.jobs("skipped"), ["alpha", "gamma"])
        XCTAssertEqual(third.summary?["failed"] as? Int, 0)
    }

    func testDryRunShowsWhatEachJobUsesAndWhatWouldChange() throws {
        let f = try BatchFixture(names: ["one", "two"])
        defer { f.remove() }
        try f.write("one.srt", "1\n00:00:00,000 --> 00:00:00,400\n一\nOne\n")
        try f.write("one.yaml", "crf: 30\n")
        try FileManager.default.copyItem(at: f.input.appendingPathComponent("two.mp4"), to: f.input.appendingPathComponent("two.presenter.mp4"))
        let dry = try runBatchProcess(["batch", f.input.path, "-o", f.output.path, "--dry-run"], environment: [:], timeout: 60)
        XCTAssertEqual(dry.exitCode, 0, dry.summary)
        XCTAssertTrue(dry.stdoutString.contains("2 jobs"), "two.presenter.mp4 is a sidecar, not a job:\n\(dry.stdoutString)")
        XCTAssertTrue(dry.stdoutString.contains("one: render"))
        XCTAssertTrue(dry.stdoutString.contains("crf: 30"), "NAME.yaml over batch.yaml (crf 35)")
        XCTAssertTrue(dry.stdoutString.contains("presenter   \(f.input.path)/two.presenter.mp4"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.output.path), "a dry run writes nothing")

        let run = try f.batch(["--no-thumbnails"])
        XCTAssertEqual(run.result.exitCode, 0, run.result.summary)
        func state(_ extra: [String]) throws -> String {
            let r = try runBatchProcess(["batch", f.input.path, "-o", f.output.path, "--dry-run"] + extra, environment: [:], timeout: 60)
            XCTAssertEqual(r.exitCode, 0, r.summary)
            return r.stdoutString
        }
        XCTAssertTrue(try state(["--no-thumbnails"]).contains("one: skip: up to date"))
        XCTAssertTrue(try state(["--crf", "28"]).contains("one: render"), "a flag for every job changes every job")
        XCTAssertTrue(try state(["--force"]).contains("one: render"))
        try f.write("batch.yaml", "size: 180x320\nfps: 25\npreset: ultrafast\ncrf: 34\n")
        let afterDefaults = try state([])
        XCTAssertTrue(afterDefaults.contains("one: render") && afterDefaults.contains("two: render"), "changed folder defaults re-render all")
    }

    func testBadUsageAndBadDefaults() throws {
        let f = try BatchFixture(names: ["one"])
        defer { f.remove() }
        let missing = try runBatchProcess(["batch", f.root.appendingPathComponent("nope").path, "-o", f.output.path], environment: [:], timeout: 60)
        XCTAssertEqual(missing.exitCode, 66, missing.summary)
        XCTAssertTrue(missing.stderrString.hasPrefix("reel: "), missing.stderrString)
        let badFlag = try runBatchProcess(["batch", f.input.path, "-o", f.output.path, "--crf", "abc"], environment: [:], timeout: 60)
        XCTAssertEqual(badFlag.exitCode, 64, badFlag.summary)
        let shard = try runBatchProcess(["batch", f.input.path, "-o", f.output.path, "--shard", "auto"], environment: [:], timeout: 60)
        XCTAssertEqual(shard.exitCode, 64)
        XCTAssertTrue(shard.stderrString.contains("no array index"), shard.stderrString)
        try f.write("batch.yaml", "presenter:\n  maks: circle\n")
        let bad = try runBatchProcess(["batch", f.input.path, "-o", f.output.path], environment: [:], timeout: 60)
        XCTAssertEqual(bad.exitCode, 65, bad.summary)
        XCTAssertTrue(bad.stderrString.contains("batch.yaml: presenter.maks: unknown key"), bad.stderrString)
        XCTAssertEqual(bad.stderrString.split(separator: "\n").count, 1)
    }

    func testHangingJobIsKilledAtItsTimeout() throws {
        let f = try BatchFixture(names: ["hang", "ok"])
        defer { f.remove() }
        let start = Date()
        let run = try f.batch(["--job-timeout", "4", "--no-thumbnails"], environment: ["REEL_TEST_FAULT": "hang:hang"], timeout: 120)
        XCTAssertEqual(run.result.exitCode, 1, run.result.summary)
        XCTAssertEqual(run.jobs("done"), ["ok"])
        XCTAssertTrue(run.reason("hang").contains("timed out after 4 s"), run.reason("hang"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
        XCTAssertEqual(f.temporaries(), [])
        XCTAssertEqual(f.outputs(), ["ok.mp4"])
    }

    func testShardsAndClaimWorkersCoverEveryJobOnce() throws {
        let names = ["j1", "j2", "j3", "j4", "j5"]
        let f = try BatchFixture(names: names)
        defer { f.remove() }
        // Shards: 1/2 and 2/2 split the sorted jobs, together all of them.
        let s1 = try f.batch(["--shard", "1/2", "--no-thumbnails", "--no-report"])
        let s2 = try f.batch(["--shard", "2/2", "--no-thumbnails", "--no-report"])
        XCTAssertEqual(s1.jobs("done"), ["j1", "j3", "j5"], s1.result.summary)
        XCTAssertEqual(s2.jobs("done"), ["j2", "j4"], s2.result.summary)
        // Kubernetes-style: the index from the environment, the count given.
        let k = try f.batch(["--shard", "auto/2", "--no-thumbnails", "--no-report"], environment: ["JOB_COMPLETION_INDEX": "1"])
        XCTAssertEqual(k.jobs("skipped"), ["j2", "j4"], "index 1 of 2 is shard 2/2")

        // Three claim workers at once on a fresh output folder: each job rendered once.
        let out = f.root.appendingPathComponent("claimed")
        final class Results: @unchecked Sendable { let lock = NSLock(); var runs: [ProcessResult] = [] }
        let results = Results()
        let input = f.input.path
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            if let r = try? runBatchProcess(["batch", input, "-o", out.path, "--claim", "--progress", "json", "--no-thumbnails"],
                                            environment: [:], timeout: 300) {
                results.lock.lock(); results.runs.append(r); results.lock.unlock()
            }
        }
        let runs = results.runs
        XCTAssertEqual(runs.count, 3)
        var rendered: [String] = []
        for r in runs {
            XCTAssertEqual(r.exitCode, 0, r.summary)
            rendered += BatchRun(result: r).jobs("done")
        }
        XCTAssertEqual(rendered.sorted(), names, "every job rendered exactly once across the workers")
        let lockFiles = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(".claims").path)) ?? []
        XCTAssertEqual(lockFiles, [], "claims are released")
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertEqual(report.components(separatedBy: "data-status=\"done\"").count - 1, 5, "the last worker's report shows every job done")
    }
}
