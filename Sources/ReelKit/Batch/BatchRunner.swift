import Foundation
import ReelMedia
import Yams

/// Runs a batch: finds the jobs, keeps those of this shard (or claims them one by one),
/// skips those whose manifest is current, and renders the rest as child `reel render`
/// processes, `jobs` at a time, each under a timeout. One thread spawns, reads and reaps
/// every child (poll), so the batch holds a few small records per job and nothing else.
public final class BatchRunner {
    public struct Outcome: Sendable {
        public enum Status: String, Sendable { case done, skipped, failed }
        public var job: String
        public var status: Status
        public var reason: String?
        public var log: String?
        public var output: String?
        public var seconds: Double?
    }

    /// A job as the dry run or the runner sees it before rendering.
    public struct Prepared: Sendable {
        public var job: BatchJob
        public var plan: JobPlan?
        public var inputs: [JobManifest.Input]
        public var fingerprint: String
        public var output: String
        /// Why the job will not render (up to date), or why it cannot (a bad plan).
        public var skipReason: String?
        public var error: String?
    }

    public let options: BatchOptions
    public let onEvent: (BatchEvent) -> Void
    let started = Date()
    let logs: String
    let thumbs: String
    let planFolder: String
    private(set) public var outcomes: [Outcome] = []
    private var defaults: Node?
    private var defaultsFile: String?

    public init(options: BatchOptions, onEvent: @escaping (BatchEvent) -> Void) {
        self.options = options
        self.onEvent = onEvent
        logs = (options.outputFolder as NSString).appendingPathComponent("logs")
        thumbs = (options.outputFolder as NSString).appendingPathComponent("thumbs")
        planFolder = (NSTemporaryDirectory() as NSString).appendingPathComponent("reel-batch-\(getpid())")
    }

    /// Finds the jobs (all of them, in order) and reads the folder defaults.
    public func discover() throws -> [BatchJob] {
        defaultsFile = JobDiscovery.defaultsFile(in: options.folder)
        var excluded = Set<String>()
        if let file = defaultsFile {
            do { defaults = try JobPlan.loadDefaults(file) } catch let e as JobPlan.Invalid {
                throw MediaError(.invalidInput, path: e.file, e.cause)
            }
            excluded = Set(JobPlan.files(in: defaults!))
        }
        do { return try JobDiscovery.discover(folder: options.folder, excluding: excluded) } catch let e as JobDiscovery.Failure {
            throw MediaError(FileManager.default.fileExists(atPath: options.folder) ? .invalidInput : .notFound, path: options.folder, e.description)
        }
    }

    /// The jobs this worker is responsible for.
    public func selected(_ jobs: [BatchJob]) -> [BatchJob] {
        options.shard.map { $0.select(jobs) } ?? jobs
    }

    /// Resolves a job's plan and fingerprint and whether its output is current.
    public func prepare(_ job: BatchJob) -> Prepared {
        let output = (options.outputFolder as NSString).appendingPathComponent("\(job.name).mp4")
        var paths = [job.recording] + job.sidecars + (defaultsFile.map { [$0] } ?? [])
        do {
            let plan = try JobPlan.resolve(job: job, defaults: defaults)
            if let node = try? Yams.compose(yaml: plan.text) { paths += JobPlan.files(in: node) }
            let inputs = JobManifest.inputs(of: paths)
            let fingerprint = JobManifest.fingerprint(inputs: inputs, settings: plan.text, flags: options.renderFlags)
            var prepared = Prepared(job: job, plan: plan, inputs: inputs, fingerprint: fingerprint, output: output)
            if !options.force, JobManifest.isCurrent(output: output, fingerprint: fingerprint) {
                prepared.skipReason = "up to date (output and manifest match)"
            }
            return prepared
        } catch {
            let inputs = JobManifest.inputs(of: paths)
            return Prepared(job: job, plan: nil, inputs: inputs, fingerprint: "", output: output, error: "\(error)")
        }
    }

    // MARK: running

    final class Running {
        let prepared: Prepared
        var child: ChildProcess
        let logFD: Int32
        let logPath: String
        let start = Date()
        var deadline: Date
        var timeout: Double
        var killAt: Date?
        var timedOut = false
        var result: RenderResult?
        var percent = 0.0
        var lastReport = Date.distantPast
        var thumbnail = false
        var renderStatus: Int32?
        var claim: ClaimLock?
        init(prepared: Prepared, child: ChildProcess, logFD: Int32, logPath: String, timeout: Double, claim: ClaimLock?) {
            self.prepared = prepared
            self.child = child
            self.logFD = logFD
            self.logPath = logPath
            self.timeout = timeout
            deadline = Date().addingTimeInterval(timeout)
            self.claim = claim
        }
    }

    /// Children alive now, for the signal handler (another thread).
    private static let liveLock = NSLock()
    /// `nonisolated(unsafe)`: both only touched under `liveLock`.
    nonisolated(unsafe) private static var live: [pid_t: (temporaries: [String], claim: ClaimLock?)] = [:]
    nonisolated(unsafe) private static var livePlanFolder: String?

    /// Runs every selected job; returns the outcomes (also sent as events).
    public func run() throws -> [Outcome] {
        let all = try discover()
        let mine = selected(all)
        StrayTemporaries.cleanPlanFolders()
        try prepareFolders()
        Self.liveLock.lock(); Self.livePlanFolder = planFolder; Self.liveLock.unlock()
        defer {
            try? FileManager.default.removeItem(atPath: planFolder)
        }
        if !options.claim {
            for job in mine { StrayTemporaries.clean(folder: options.outputFolder, job: job.name) }
        }
        for job in mine { onEvent(BatchEvent(.queued, job: job.name)) }
        var queue = mine[...]
        var running: [Running] = []
        // A signal (Cancellation) stops starting jobs: `interrupt()` has stopped the running ones.
        while (!queue.isEmpty && !Cancellation.isRequested) || !running.isEmpty {
            while running.count < max(1, options.jobs), !Cancellation.isRequested, let job = queue.popFirst() {
                if let r = start(job) { running.append(r) }
            }
            if running.isEmpty { continue }
            var fds = running.filter { $0.child.output >= 0 }.map { pollfd(fd: $0.child.output, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 200)
            var still: [Running] = []
            for r in running {
                if step(r) { still.append(r) }
            }
            running = still
        }
        // Once more at the end: a render orphaned by a killed batch may still have been
        // alive (and may have re-created its file while stopping) at the start of this run.
        for job in mine { StrayTemporaries.clean(folder: options.outputFolder, job: job.name) }
        return outcomes
    }

    func prepareFolders() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if !fm.fileExists(atPath: options.outputFolder, isDirectory: &isDirectory) {
            do { try fm.createDirectory(atPath: options.outputFolder, withIntermediateDirectories: true) } catch {
                throw MediaError(.cannotWrite, path: options.outputFolder, "cannot create the output folder")
            }
        } else if !isDirectory.boolValue {
            throw MediaError(.cannotWrite, path: options.outputFolder, "is not a folder")
        }
        for folder in [logs, thumbs, planFolder] where !fm.fileExists(atPath: folder) {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw MediaError(.cannotWrite, path: folder, "cannot create: \(error.localizedDescription)")
            }
        }
        guard access(options.outputFolder, W_OK) == 0 else {
            throw MediaError(.cannotWrite, path: options.outputFolder, "cannot write: \(String(cString: strerror(errno)))")
        }
        if OutputFile.sameFile(options.outputFolder, options.folder) {
            throw MediaError(.usage, path: options.outputFolder, "is the batch folder itself; give another output folder")
        }
    }

    /// Decides a job and, when it is to render, starts its child.
    func start(_ job: BatchJob) -> Running? {
        var prepared = prepare(job)
        if let error = prepared.error {
            fail(prepared, reason: error, log: nil)
            return nil
        }
        if let reason = prepared.skipReason {
            record(Outcome(job: job.name, status: .skipped, reason: reason, output: prepared.output))
            return nil
        }
        var claim: ClaimLock?
        let timeout = options.jobTimeout ?? BatchOptions.defaultTimeout(duration: nil)
        if options.claim {
            if let f = JobFailure.read(outputFolder: options.outputFolder, job: job.name), f.fingerprint == prepared.fingerprint,
               f.time >= started.timeIntervalSince1970 - 1, f.worker != BatchEvent.worker {
                return nil   // a peer of this run already failed it; the report shows why
            }
            do {
                switch try ClaimLock.claim(folder: options.outputFolder, job: job.name, timeout: timeout) {
                case .held: return nil   // another worker's
                case .acquired(let lock): claim = lock
                }
            } catch {
                fail(prepared, reason: "\(error)", log: nil)
                return nil
            }
            // It may have been finished between the check and the claim.
            prepared = prepare(job)
            if let reason = prepared.skipReason {
                claim?.release()
                record(Outcome(job: job.name, status: .skipped, reason: reason, output: prepared.output))
                return nil
            }
            StrayTemporaries.clean(folder: options.outputFolder, job: job.name)
        }
        let planPath = (planFolder as NSString).appendingPathComponent("\(job.name).yaml")
        let logPath = (logs as NSString).appendingPathComponent("\(job.name).log")
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard logFD >= 0 else {
            claim?.release()
            fail(prepared, reason: "cannot write the log \(logPath): \(String(cString: strerror(errno)))", log: nil)
            return nil
        }
        let arguments = ["render", planPath, "-o", prepared.output, "--force", "--progress", "json"] + options.renderFlags
        do {
            try Data(prepared.plan!.text.utf8).write(to: URL(fileURLWithPath: planPath))
            let header = "# reel batch \(BatchEvent.worker): \(job.name)\n# reel \(arguments.joined(separator: " "))\n# plan:\n"
                + prepared.plan!.text.split(separator: "\n", omittingEmptySubsequences: false).map { "#   \($0)" }.joined(separator: "\n") + "\n"
            _ = header.withCString { write(logFD, $0, strlen($0)) }
            let child = try ChildProcess(executable: options.executable, arguments: arguments, log: logFD,
                                         environment: ["REEL_BATCH_PARENT": String(getpid())])
            Self.register(child.pid, temporaries: [temporary(prepared.output, pid: child.pid, ext: "mp4")], claim: claim)
            let r = Running(prepared: prepared, child: child, logFD: logFD, logPath: logPath, timeout: timeout, claim: claim)
            var e = BatchEvent(.started, job: job.name)
            e.log = logPath
            e.output = prepared.output
            onEvent(e)
            return r
        } catch {
            close(logFD)
            claim?.release()
            fail(prepared, reason: "\(error)", log: logPath)
            return nil
        }
    }

    func temporary(_ output: String, pid: pid_t, ext: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).reel-\(pid).\(ext)").path
    }

    /// Reads, times and reaps one running job; false when it is finished.
    func step(_ r: Running) -> Bool {
        for line in r.child.readLines() { handle(line, of: r) }
        let now = Date()
        if r.child.status == nil {
            if let killAt = r.killAt, now >= killAt { r.child.signalGroup(SIGKILL) }
            else if r.killAt == nil, now >= r.deadline {
                r.timedOut = true
                r.child.signalGroup(SIGTERM)
                r.killAt = now.addingTimeInterval(5)
            }
        }
        guard let status = r.child.poll() else { return true }
        // The process group may hold more (a grandchild); it goes with the job.
        kill(-r.child.pid, SIGKILL)
        for line in r.child.readLines() { handle(line, of: r) }
        Self.unregister(r.child.pid)
        if !r.thumbnail {
            r.renderStatus = status
            unlink(temporary(r.prepared.output, pid: r.child.pid, ext: "mp4"))   // left by a crash or kill
            let (code, signal) = ChildProcess.describe(status)
            if code == 0, !r.timedOut, r.result != nil, FileManager.default.fileExists(atPath: r.prepared.output) {
                if options.thumbnails, startThumbnail(r) { return true }
                finish(r)
            } else {
                let reason: String
                if r.timedOut { reason = String(format: "timed out after %.0f s (killed)", r.timeout) }
                else if Cancellation.isRequested { reason = "interrupted (the batch was stopped)" }
                else if let signal { reason = "crashed: killed by \(ChildProcess.signalName(signal))" }
                else if code == 0 { reason = "render ended without an output" }
                else { reason = (lastError(in: r.logPath) ?? "failed") + " (exit \(code ?? -1))" }
                close(r.logFD)
                r.claim?.release()
                fail(r.prepared, reason: reason, log: r.logPath)
            }
            return false
        }
        // The thumbnail ended (its failure costs the report a picture, not the job).
        unlink(temporary(thumbnailPath(r.prepared.job.name), pid: r.child.pid, ext: "png"))
        finish(r)
        return false
    }

    func handle(_ line: String, of r: Running) {
        if line.hasPrefix("{") {
            if let result = RenderResult.parse(line) {
                r.result = result
                return
            }
            if let p = try? JSONDecoder().decode(RenderProgress.self, from: Data(line.utf8)) {
                if p.event == .start, options.jobTimeout == nil, p.totalFrames > 0 {
                    // Frames at the lowest allowed rate (25) give the longest possible duration.
                    r.timeout = BatchOptions.defaultTimeout(duration: Double(p.totalFrames) / 25)
                    r.deadline = r.start.addingTimeInterval(r.timeout)
                }
                r.percent = p.percent
                if Date().timeIntervalSince(r.lastReport) >= 1 || p.event == .done {
                    r.lastReport = Date()
                    var e = BatchEvent(.progress, job: r.prepared.job.name)
                    e.percent = (p.percent * 10).rounded() / 10
                    e.eta = p.eta.map { ($0 * 10).rounded() / 10 }
                    onEvent(e)
                }
                return
            }
        }
        let text = line + "\n"
        _ = text.withCString { write(r.logFD, $0, strlen($0)) }
    }

    func thumbnailPath(_ job: String) -> String { (thumbs as NSString).appendingPathComponent("\(job).png") }

    /// The cover (first frame) of the output, small, for the report: a `reel sheet` child.
    func startThumbnail(_ r: Running) -> Bool {
        let arguments = ["sheet", r.prepared.output, "-o", thumbnailPath(r.prepared.job.name), "--at", "0", "--width", "144",
                         "--columns", "1", "--labels", "off", "--title", "", "--force", "--quiet"]
        guard let child = try? ChildProcess(executable: options.executable, arguments: arguments, log: r.logFD,
                                            environment: ["REEL_BATCH_PARENT": String(getpid())]) else { return false }
        Self.register(child.pid, temporaries: [temporary(thumbnailPath(r.prepared.job.name), pid: child.pid, ext: "png")], claim: r.claim)
        r.child = child
        r.thumbnail = true
        r.killAt = nil
        r.timedOut = false
        r.deadline = Date().addingTimeInterval(120)
        return true
    }

    /// The output is complete: write its manifest, then report it done.
    func finish(_ r: Running) {
        defer { close(r.logFD); r.claim?.release() }
        let seconds = Date().timeIntervalSince(r.start)
        var st = stat()
        _ = stat(r.prepared.output, &st)
        let manifest = JobManifest(job: r.prepared.job.name, reelVersion: ReelVersion.string, fingerprint: r.prepared.fingerprint,
                                   inputs: r.prepared.inputs, settings: r.prepared.plan?.text ?? "", flags: options.renderFlags,
                                   outputSize: Int64(st.st_size), finished: ISO8601DateFormatter().string(from: Date()),
                                   seconds: (seconds * 100).rounded() / 100, worker: BatchEvent.worker, render: r.result)
        do { try manifest.write(forOutput: r.prepared.output) } catch {
            fail(r.prepared, reason: "\(error)", log: r.logPath)
            return
        }
        JobFailure.remove(outputFolder: options.outputFolder, job: r.prepared.job.name)
        record(Outcome(job: r.prepared.job.name, status: .done, log: r.logPath, output: r.prepared.output, seconds: seconds))
    }

    func fail(_ prepared: Prepared, reason: String, log: String?) {
        JobFailure(job: prepared.job.name, fingerprint: prepared.fingerprint, reason: reason, log: log ?? "",
                   worker: BatchEvent.worker, time: Date().timeIntervalSince1970).write(outputFolder: options.outputFolder)
        record(Outcome(job: prepared.job.name, status: .failed, reason: reason, log: log, output: nil))
    }

    func record(_ outcome: Outcome) {
        outcomes.append(outcome)
        var e = BatchEvent(BatchEvent.Kind(rawValue: outcome.status.rawValue)!, job: outcome.job)
        e.reason = outcome.reason
        e.log = outcome.log
        e.output = outcome.output
        e.seconds = outcome.seconds.map { ($0 * 100).rounded() / 100 }
        onEvent(e)
    }

    /// The last `reel: …` line the child wrote to its log, without the prefix.
    func lastError(in log: String) -> String? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        let line = text.split(separator: "\n").last { $0.hasPrefix("reel: ") && !$0.hasPrefix("reel: warning") }
        return line.map { String($0.dropFirst(6)) }
    }

    // MARK: interruption

    static func register(_ pid: pid_t, temporaries: [String], claim: ClaimLock?) {
        liveLock.lock(); defer { liveLock.unlock() }
        live[pid] = (temporaries, claim)
    }

    static func unregister(_ pid: pid_t) {
        liveLock.lock(); defer { liveLock.unlock() }
        live[pid] = nil
    }

    /// Ctrl-C / SIGTERM of the batch: ends every job's process group (a render removes its
    /// own temporary file on SIGTERM), waits up to 5 s, then kills what is left and removes
    /// their temporaries, the claims and the plan folder. No output is left half-written.
    public static func interrupt() {
        liveLock.lock(); defer { liveLock.unlock() }
        for pid in live.keys { kill(-pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, live.keys.contains(where: { kill($0, 0) == 0 && !reaped($0) }) { usleep(20_000) }
        for (pid, job) in live {
            kill(-pid, SIGKILL)
            job.temporaries.forEach { unlink($0) }
            job.claim?.release()
        }
        if let folder = livePlanFolder { try? FileManager.default.removeItem(atPath: folder) }
    }

    private static func reaped(_ pid: pid_t) -> Bool {
        var s: Int32 = 0
        return waitpid(pid, &s, WNOHANG) == pid
    }
}
