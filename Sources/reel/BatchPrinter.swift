import Foundation
import ReelKit

/// What `reel batch` shows: JSON lines (--progress json), or on a terminal one status line
/// (jobs done / total, the running jobs' percentages, ETA) rewritten in place; nothing while
/// running otherwise. The summary table at the end goes to stdout (stderr with JSON).
/// `@unchecked Sendable`: every mutable field is guarded by `lock`.
final class BatchPrinter: @unchecked Sendable {
    let json: Bool
    let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var total = 0
    private var finished = 0
    private var failed = 0
    private var running: [String: Double] = [:]
    private var order: [String] = []
    private var jobSeconds: [Double] = []
    private var lineShown = false
    private let started = Date()

    init(json: Bool, quiet: Bool) {
        self.json = json
        self.quiet = quiet
    }

    func show(_ e: BatchEvent) {
        lock.lock(); defer { lock.unlock() }
        if json {
            FileHandle.standardOutput.write(Data((e.jsonLine + "\n").utf8))
            return
        }
        guard let job = e.job else { return }
        switch e.event {
        case .queued: total += 1
        case .started: running[job] = 0; order.append(job)
        case .progress: running[job] = e.percent ?? 0
        case .done, .skipped, .failed:
            finished += 1
            running[job] = nil
            order.removeAll { $0 == job }
            if e.event == .done, let s = e.seconds { jobSeconds.append(s) }
            if e.event == .failed {
                failed += 1
                if !quiet { clear(); FileHandle.standardError.write(Data("reel: \(job): failed: \(e.reason ?? "")\n".utf8)) }
            }
        case .summary: break
        }
        guard isTerminal, !quiet, e.event != .queued else { return }
        var line = "reel batch: \(finished)/\(total) finished" + (failed > 0 ? ", \(failed) failed" : "")
        let shown = order.prefix(4).map { String(format: "%@ %.0f%%", $0, running[$0] ?? 0) }
        if !shown.isEmpty { line += " | " + shown.joined(separator: ", ") + (order.count > 4 ? ", …" : "") }
        if !jobSeconds.isEmpty, !running.isEmpty {
            // Remaining work at the mean job time, spread over the jobs running at once.
            let mean = jobSeconds.reduce(0, +) / Double(jobSeconds.count)
            let left = Double(total - finished) - running.values.reduce(0) { $0 + $1 / 100 }
            line += String(format: " | ETA %@", Self.clock(mean * max(0, left) / Double(running.count)))
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        lineShown = true
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func clear() {
        if lineShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); lineShown = false }
    }

    func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        clear()
        FileHandle.standardError.write(Data("reel: warning: \(message)\n".utf8))
    }

    func interrupted() {
        lock.lock(); defer { lock.unlock() }
        clear()
        FileHandle.standardError.write(Data("reel: batch interrupted; running jobs stopped, their partial output removed\n".utf8))
    }

    /// `--dry-run`: every job of this worker with what it would use, or why it is skipped.
    func dryRun(all: [BatchJob], mine: [BatchJob], prepare: (BatchJob) -> BatchRunner.Prepared, shard: Shard?, claim: Bool) {
        var text = "reel batch: \(all.count) job\(all.count == 1 ? "" : "s")"
        if let shard { text += ", shard \(shard): \(mine.count) of them" }
        if claim { text += " (--claim: workers take them in this order)" }
        print(text)
        for job in mine {
            let p = prepare(job)
            let state = p.error.map { "would fail: \($0)" } ?? p.skipReason.map { "skip: \($0)" } ?? "render"
            print("\n\(job.name): \(state)")
            print("  recording   \(job.recording)")
            for (label, path) in [("subtitles", job.subtitles), ("english", job.subtitlesEnglish), ("plan", job.plan),
                                  ("presenter", job.presenter), ("voice", job.voice)] {
                if let path { print("  \(label.padding(toLength: 11, withPad: " ", startingAt: 0)) \(path)") }
            }
            print("  output      \(p.output)")
            if let plan = p.plan {
                print("  settings:")
                for line in plan.text.split(separator: "\n") { print("    \(line)") }
            }
        }
    }

    func summary(_ finished: [BatchRunner.Outcome], shard: Shard?, claim: Bool, report: String?) {
        lock.lock(); defer { lock.unlock() }
        // In job order (they finish in any order when jobs run side by side).
        let outcomes = finished.sorted { $0.job.utf8.lexicographicallyPrecedes($1.job.utf8) }
        clear()
        var out = ""
        let counts = Dictionary(grouping: outcomes, by: \.status).mapValues(\.count)
        let done = counts[.done] ?? 0, skipped = counts[.skipped] ?? 0, failedCount = counts[.failed] ?? 0
        if json {
            var e = BatchEvent(.summary)
            e.total = outcomes.count
            e.done = done
            e.skipped = skipped
            e.failed = failedCount
            e.seconds = (Date().timeIntervalSince(started) * 100).rounded() / 100
            e.peakMemoryKiB = Self.peakMemoryKiB()
            FileHandle.standardOutput.write(Data((e.jsonLine + "\n").utf8))
        }
        if !outcomes.isEmpty {
            let width = min(40, outcomes.map(\.job.count).max() ?? 4)
            out += "job".padding(toLength: width, withPad: " ", startingAt: 0) + "  status   time     detail\n"
            for o in outcomes {
                let time = o.seconds.map { String(format: "%6.1fs", $0) } ?? "      -"
                var detail = o.reason ?? ""
                if o.status == .failed, let log = o.log { detail += " — log: \(log)" }
                if o.status == .done, let output = o.output { detail = output }
                out += o.job.padding(toLength: max(width, o.job.count), withPad: " ", startingAt: 0) + "  "
                    + o.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  \(time)  \(detail)\n"
            }
        }
        out += "reel batch: \(done) done, \(skipped) skipped, \(failedCount) failed"
        if let shard { out += " (shard \(shard))" }
        if claim { out += " (this worker)" }
        out += String(format: " in %.1f s", Date().timeIntervalSince(started))
        if let report { out += "; report: \(report)" }
        out += "\n"
        if json { FileHandle.standardError.write(Data(out.utf8)) } else { FileHandle.standardOutput.write(Data(out.utf8)) }
    }

    /// The batch process's own peak resident memory (children not counted).
    static func peakMemoryKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss)
    }
}
