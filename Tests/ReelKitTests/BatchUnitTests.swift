import Foundation
import XCTest
@testable import ReelKit

/// The parts of `reel batch` that need no render: discovery, plan merging, shards, claims,
/// manifests and stray temporaries.
final class BatchUnitTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("reel-batch-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func touch(_ names: String...) {
        for n in names { _ = FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(n), contents: Data(n.utf8)) }
    }

    func testDiscoveryFindsRecordingsWithTheirSidecars() throws {
        touch("b.mov", "a.mp4", "a.zh.srt", "a.en.srt", "a.yaml", "a.presenter.webm", "a.voice.m4a", "music.m4a", "notes.txt",
              "c.mkv", "c.srt", "c.presenter.png", ".hidden.mp4", "shared.mp4", "batch.yaml")
        let jobs = try JobDiscovery.discover(folder: folder, excluding: [(folder as NSString).appendingPathComponent("shared.mp4")])
        XCTAssertEqual(jobs.map(\.name), ["a", "b", "c"], "a.presenter.webm is a sidecar; shared.mp4 is used by batch.yaml; hidden files skipped")
        let a = jobs[0]
        XCTAssertEqual(a.subtitles.map { ($0 as NSString).lastPathComponent }, "a.zh.srt")
        XCTAssertEqual(a.subtitlesEnglish.map { ($0 as NSString).lastPathComponent }, "a.en.srt")
        XCTAssertEqual(a.plan.map { ($0 as NSString).lastPathComponent }, "a.yaml")
        XCTAssertEqual(a.presenter.map { ($0 as NSString).lastPathComponent }, "a.presenter.webm")
        XCTAssertEqual(a.voice.map { ($0 as NSString).lastPathComponent }, "a.voice.m4a")
        XCTAssertNil(jobs[1].subtitles)
        XCTAssertEqual(jobs[2].subtitles.map { ($0 as NSString).lastPathComponent }, "c.srt")
        XCTAssertEqual(jobs[2].presenter.map { ($0 as NSString).lastPathComponent }, "c.presenter.png")
    }

    func testTwoRecordingsWithOneNameAreRefused() {
        touch("talk.mp4", "talk.mov")
        XCTAssertThrowsError(try JobDiscovery.discover(folder: folder)) { error in
            XCTAssertTrue("\(error)".contains("would both render to talk.mp4"), "\(error)")
        }
    }

    func testPlansMergeDefaultsSidecarsAndTheJobPlan() throws {
        touch("a.mp4", "a.srt", "a.presenter.webm")
        try "presenter: {scale: 0.3, mask: circle}\naudio: {music: music.m4a, music_volume: -16}\ncrf: 22\nlayout: pip\n"
            .write(toFile: (folder as NSString).appendingPathComponent("batch.yaml"), atomically: true, encoding: .utf8)
        try "crf: 25\naudio: {music_volume: -20}\nlayout: {seam: 900}\noutput: ignored.mp4\n"
            .write(toFile: (folder as NSString).appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let defaults = try JobPlan.loadDefaults((folder as NSString).appendingPathComponent("batch.yaml"))
        XCTAssertEqual(JobPlan.files(in: defaults), [(folder as NSString).appendingPathComponent("music.m4a")])
        let job = try JobDiscovery.discover(folder: folder)[0]
        let plan = try JobPlan.resolve(job: job, defaults: defaults)
        let expected = """
        audio:
          music: \(folder!)/music.m4a
          music_volume: -20
        crf: 25
        layout:
          seam: 900
          template: pip
        presenter:
          file: \(folder!)/a.presenter.webm
          mask: circle
          scale: 0.3
        source: \(folder!)/a.mp4
        subtitles:
          file: \(folder!)/a.srt

        """
        XCTAssertEqual(plan.text, expected)
    }

    func testABadJobPlanNamesItsFileAndKey() throws {
        touch("a.mp4")
        try "hook: {strat: 3}\n".write(toFile: (folder as NSString).appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let job = try JobDiscovery.discover(folder: folder)[0]
        XCTAssertThrowsError(try JobPlan.resolve(job: job, defaults: nil)) { error in
            XCTAssertTrue("\(error)".hasSuffix("a.yaml: hook.strat: unknown key (known: start, duration, zoom, auto, flash, title, title_en, keywords)"), "\(error)")
        }
    }

    func testShards() throws {
        let jobs = Array(1...7)
        let slices = (1...3).map { Shard(index: $0, count: 3).select(jobs) }
        XCTAssertEqual(slices, [[1, 4, 7], [2, 5], [3, 6]])
        XCTAssertEqual(try Shard.parse("2/3"), Shard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "x", "1/0", "auto/0", "auto/2/3"] { XCTAssertThrowsError(try Shard.parse(bad, environment: [:]), bad) }
        let slurm = try Shard.parse("auto", environment: ["SLURM_ARRAY_TASK_ID": "12", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "4"])
        XCTAssertEqual([slurm.index, slurm.count], [3, 4])
        let k8s = try Shard.parse("auto/5", environment: ["JOB_COMPLETION_INDEX": "4"])
        XCTAssertEqual([k8s.index, k8s.count], [5, 5])
        let aws = try Shard.parse("auto/2", environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "0"])
        XCTAssertEqual([aws.index, aws.count], [1, 2])
        XCTAssertThrowsError(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "1"])) {
            XCTAssertTrue("\($0)".contains("use --shard auto/COUNT"))
        }
        XCTAssertThrowsError(try Shard.parse("auto/2", environment: ["JOB_COMPLETION_INDEX": "2"]))
        XCTAssertThrowsError(try Shard.parse("auto", environment: [:])) { XCTAssertTrue("\($0)".contains("no array index")) }
    }

    func testClaimsAreExclusiveAndADeadWorkersClaimIsTakenOver() throws {
        guard case .acquired(let mine) = try ClaimLock.claim(folder: folder, job: "a", timeout: 100) else { return XCTFail("first claim") }
        guard case .held(let holder) = try ClaimLock.claim(folder: folder, job: "a", timeout: 100) else { return XCTFail("second claim must fail") }
        XCTAssertEqual(holder?.pid, getpid())
        mine.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: ClaimLock.path(folder: folder, job: "a")))

        // A lock of a process that has exited (same host) is stale.
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = ClaimLock.Holder(host: ClaimLock.hostName, pid: dead.processIdentifier, started: Date().timeIntervalSince1970, timeout: 100)
        XCTAssertTrue(ClaimLock.create(ClaimLock.path(folder: folder, job: "b"), stale))
        guard case .acquired(let taken) = try ClaimLock.claim(folder: folder, job: "b", timeout: 100) else { return XCTFail("dead pid's claim is taken over") }
        XCTAssertEqual(ClaimLock.read(taken.path).holder?.pid, getpid())

        // Another host's lock: alive until it is older than its timeout (+ a minute's grace).
        let far = ClaimLock.Holder(host: "elsewhere", pid: 1, started: Date().timeIntervalSince1970 - 30, timeout: 100)
        XCTAssertTrue(ClaimLock.create(ClaimLock.path(folder: folder, job: "c"), far))
        guard case .held = try ClaimLock.claim(folder: folder, job: "c", timeout: 100) else { return XCTFail("a live remote claim holds") }
        let old = ClaimLock.Holder(host: "elsewhere", pid: 1, started: Date().timeIntervalSince1970 - 1000, timeout: 100)
        unlink(ClaimLock.path(folder: folder, job: "c"))
        XCTAssertTrue(ClaimLock.create(ClaimLock.path(folder: folder, job: "c"), old))
        guard case .acquired = try ClaimLock.claim(folder: folder, job: "c", timeout: 100) else { return XCTFail("an expired claim is taken over") }
    }

    func testManifestFingerprintFollowsContentSizeMtimeSettingsAndFlags() throws {
        touch("a.mp4", "a.srt")
        let paths = ["a.mp4", "a.srt"].map { (folder as NSString).appendingPathComponent($0) }
        let base = JobManifest.fingerprint(inputs: JobManifest.inputs(of: paths), settings: "crf: 20\n", flags: [])
        XCTAssertEqual(base, JobManifest.fingerprint(inputs: JobManifest.inputs(of: paths), settings: "crf: 20\n", flags: []))
        XCTAssertNotEqual(base, JobManifest.fingerprint(inputs: JobManifest.inputs(of: paths), settings: "crf: 21\n", flags: []))
        XCTAssertNotEqual(base, JobManifest.fingerprint(inputs: JobManifest.inputs(of: paths), settings: "crf: 20\n", flags: ["--crf", "2"]))
        // Same size, same mtime, other content: the subtitle's hash still changes it.
        var st = stat()
        stat(paths[1], &st)
        try Data("a.srx".utf8).write(to: URL(fileURLWithPath: paths[1]))
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, paths[1], &times, 0)
        XCTAssertNotEqual(base, JobManifest.fingerprint(inputs: JobManifest.inputs(of: paths), settings: "crf: 20\n", flags: []))
    }

    func testStrayTemporariesOfGoneProcessesAreRemoved() throws {
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        touch(".a.mp4.reel-\(dead.processIdentifier).mp4", ".a.mp4.reel-\(getppid()).mp4", ".ab.mp4.reel-\(dead.processIdentifier).mp4",
              ".a.b.mp4.reel-\(dead.processIdentifier).mp4", "a.mp4")
        let removed = StrayTemporaries.clean(folder: folder, job: "a")
        XCTAssertEqual(removed, [".a.mp4.reel-\(dead.processIdentifier).mp4"], "only job a's, only the dead process's")
        XCTAssertTrue(FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("a.mp4")))
    }
}
