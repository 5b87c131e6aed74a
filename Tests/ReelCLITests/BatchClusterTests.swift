import Foundation
import XCTest

/// `reel batch` on the engines people run: a one-node Slurm cluster (array jobs with
/// `--shard auto`, then with `--claim`), GNU parallel over ssh to two loopback hosts, and the
/// report opened by headless Chromium. Each starts its own daemons in a temp folder and
/// stops them by pid (Scripts/test-cluster-slurm, Scripts/test-cluster-ssh).
final class BatchClusterTests: XCTestCase {
    /// The tools come from Scripts/setup; on CI a missing one is a failure, not a skip.
    func require(_ tools: [String]) throws {
        let missing = tools.filter { Paths.which($0) == nil && !FileManager.default.isExecutableFile(atPath: "/usr/sbin/\($0)") }
        guard !missing.isEmpty else { return }
        if ProcessInfo.processInfo.environment["CI"] != nil { throw TestFailure("missing \(missing.joined(separator: ", ")): run Scripts/setup") }
        throw XCTSkip("missing \(missing.joined(separator: ", ")) (Scripts/setup installs them)")
    }

    func script(_ name: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 120) throws -> ProcessResult {
        let process = Paths.repoRoot.appendingPathComponent("Scripts/\(name)")
        let r = try runProcessWithEnvironment(process, arguments, environment: environment, timeout: timeout)
        return r
    }

    /// `done` events of every worker's JSON lines in `files`.
    func rendered(_ files: [URL]) throws -> [String] {
        try files.flatMap { file in
            BatchRun(result: ProcessResult(command: [], exitCode: 0, stdout: try Data(contentsOf: file), stderr: Data(), timedOut: false)).jobs("done")
        }.sorted()
    }

    func testSlurmArrayShardsAndClaims() throws {
        try require(["slurmctld", "slurmd", "sbatch", "munged"])
        let names = ["s1", "s2", "s3", "s4", "s5", "s6"]
        let f = try BatchFixture(names: names)
        defer { f.remove() }
        let cluster = f.root.appendingPathComponent("slurm")
        let started = Date()
        let up = try script("test-cluster-slurm", ["start", cluster.path])
        defer { _ = try? script("test-cluster-slurm", ["stop", cluster.path]) }
        XCTAssertEqual(up.exitCode, 0, up.summary)
        guard up.exitCode == 0 else { return }
        print("slurm: cluster up in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        let env = ["SLURM_CONF": cluster.appendingPathComponent("slurm.conf").path]
        let sbatch = Paths.which("sbatch")!

        for (mode, out) in [("--shard auto", "sharded"), ("--claim", "claimed")] {
            let output = f.root.appendingPathComponent(out)
            let job = f.root.appendingPathComponent("\(out).sh")
            try """
            #!/bin/sh
            exec \(Paths.reel.path) batch \(f.input.path) -o \(output.path) \(mode) --progress json --no-thumbnails
            """.write(to: job, atomically: true, encoding: .utf8)
            let t0 = Date()
            let r = try runProcessWithEnvironment(sbatch, ["--wait", "--array=0-3", "--job-name=reel-\(out)",
                                                           "--output=\(f.root.path)/\(out)-%a.jsonl", "--error=\(f.root.path)/\(out)-%a.err",
                                                           job.path], environment: env, timeout: 120)
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let files = (0..<4).map { f.root.appendingPathComponent("\(out)-\($0).jsonl") }
            let done = try rendered(files)
            print("slurm \(mode): \(r.stdoutString.trimmingCharacters(in: .newlines)); \(String(format: "%.1f", Date().timeIntervalSince(t0))) s; done per task: "
                  + (try files.map { try rendered([$0]).joined(separator: ",") }).joined(separator: " | "))
            XCTAssertEqual(done, names, "\(mode): every job rendered exactly once over the array's 4 tasks")
            if mode == "--shard auto" {
                // Task i (of 0…3) is shard i+1/4: jobs i+1, i+5.
                XCTAssertEqual(try rendered([files[0]]), ["s1", "s5"])
                XCTAssertEqual(try rendered([files[3]]), ["s4"])
            }
            let outputs = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".mp4") }.sorted()
            XCTAssertEqual(outputs, names.map { "\($0).mp4" })
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "the Slurm test stays under a minute")
    }

    func testGNUParallelOverSSHRunsShardsOnTwoHosts() throws {
        try require(["sshd", "ssh", "parallel"])
        let names = ["p1", "p2", "p3", "p4"]
        let f = try BatchFixture(names: names)
        defer { f.remove() }
        let ssh = f.root.appendingPathComponent("ssh")
        let started = Date()
        let up = try script("test-cluster-ssh", ["start", ssh.path])
        defer { _ = try? script("test-cluster-ssh", ["stop", ssh.path]) }
        XCTAssertEqual(up.exitCode, 0, up.summary)
        guard up.exitCode == 0 else { return }
        let home = f.root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // Each host runs one shard; the output folder is shared (the same disk here, NFS on a
        // real cluster). The host that ran a shard is the server address of its ssh session.
        let command = "echo host=$(echo $SSH_CONNECTION | cut -d' ' -f3); \(Paths.reel.path) batch \(f.input.path) -o \(f.output.path) --shard {}/2 --progress json --no-thumbnails"
        let r = try runProcessWithEnvironment(Paths.which("parallel")!, [
            "--will-cite", "--sshloginfile", ssh.appendingPathComponent("sshloginfile").path,
            "--ssh", "ssh -F \(ssh.appendingPathComponent("ssh_config").path)", "--tag", command, ":::", "1", "2",
        ], environment: ["HOME": home.path], timeout: 120)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let lines = r.stdoutString.split(separator: "\n")
        let hostOfShard = Dictionary(lines.compactMap { line -> (String, String)? in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1].hasPrefix("host=") else { return nil }
            return (parts[0], String(parts[1].dropFirst(5)))
        }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(hostOfShard.values), ["127.0.0.2", "127.0.0.3"], "one shard on each host:\n\(r.stdoutString)")
        let done = lines.filter { $0.contains("\"event\":\"done\"") }.compactMap { line -> String? in
            let json = line.split(separator: "\t", maxSplits: 1).last.map(String.init) ?? ""
            return (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["job"] as? String
        }
        XCTAssertEqual(done.sorted(), names, "each job once over both hosts")
        XCTAssertEqual(f.outputs(), names.map { "\($0).mp4" })
        print("parallel over ssh: shards on \(hostOfShard.sorted { $0.key < $1.key }.map { "\($0.key)→\($0.value)" }.joined(separator: ", ")) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
    }

    func testReportOpensInChromiumWithEveryJobAndItsStatus() throws {
        try require(["chromium"])
        let f = try BatchFixture(names: ["r1", "r2", "crash"], corrupt: ["broken"])
        defer { f.remove() }
        try f.write("r1.srt", "1\n00:00:00,000 --> 00:00:00,400\n你好\nHello\n")
        let run = try f.batch([], environment: ["REEL_TEST_FAULT": "crash:crash"])
        XCTAssertEqual(run.result.exitCode, 1, run.result.summary)
        let report = f.output.appendingPathComponent("report.html")
        let profile = f.root.appendingPathComponent("chromium")
        let chromium = Paths.which("chromium")!
        let base = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)", "--window-size=1100,900"]
        let dom = try runProcessWithEnvironment(chromium, base + ["--dump-dom", report.absoluteString], environment: ["HOME": f.root.path], timeout: 60)
        XCTAssertEqual(dom.exitCode, 0, dom.summary)
        let html = dom.stdoutString
        for (job, status) in [("r1", "done"), ("r2", "done"), ("crash", "failed"), ("broken", "failed")] {
            XCTAssertTrue(html.contains("data-job=\"\(job)\" data-status=\"\(status)\""), "\(job) listed as \(status)")
        }
        XCTAssertTrue(html.contains("<b id=\"total-done\">2</b>") && html.contains("<b id=\"total-failed\">2</b>"), "totals")
        XCTAssertTrue(html.contains("SIGSEGV") && html.contains("not a readable media file"), "the failures' reasons")
        XCTAssertTrue(html.contains("src=\"thumbs/r1.png\""), "a cover thumbnail")
        XCTAssertTrue(html.contains("LUFS"), "loudness")
        XCTAssertTrue(FileManager.default.fileExists(atPath: f.output.appendingPathComponent("thumbs/r1.png").path))
        // A picture of the page, kept to look at.
        let artifacts = Paths.repoRoot.appendingPathComponent(".build/reel-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let png = artifacts.appendingPathComponent("batch-report.png")
        try? FileManager.default.removeItem(at: png)
        let shot = try runProcessWithEnvironment(chromium, base + ["--screenshot=\(png.path)", "--hide-scrollbars", report.absoluteString],
                                                 environment: ["HOME": f.root.path], timeout: 60)
        XCTAssertEqual(shot.exitCode, 0, shot.summary)
        let size = ((try? FileManager.default.attributesOfItem(atPath: png.path))?[.size] as? Int) ?? 0
        XCTAssertGreaterThan(size, 20_000, "a real screenshot of the report")
    }
}

/// `runProcess` with extra environment variables, on posix_spawn + waitpid: the cluster
/// scripts leave daemons behind that inherit descriptors, which keeps Foundation's `Process`
/// from noticing that the script itself has ended.
func runProcessWithEnvironment(_ executable: URL, _ arguments: [String], environment: [String: String], timeout: TimeInterval) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reel-proc-io-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, err.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
    guard rc == 0 else { throw TestFailure("cannot start \(executable.path): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var timedOut = false
    let deadline = Date().addingTimeInterval(timeout)
    while waitpid(pid, &status, WNOHANG) == 0 {
        if Date() > deadline, !timedOut {
            timedOut = true
            kill(pid, SIGTERM)
        }
        usleep(20_000)
    }
    let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return ProcessResult(command: [executable.path] + arguments, exitCode: code,
                         stdout: (try? Data(contentsOf: out)) ?? Data(), stderr: (try? Data(contentsOf: err)) ?? Data(), timedOut: timedOut)
}
