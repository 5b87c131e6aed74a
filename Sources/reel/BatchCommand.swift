import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct BatchCommand: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Render every recording in a folder, unattended: resumable, isolated, spread over machines.",
        discussion: """
        Each recording in FOLDER (a video file, sorted by name) is a job, rendered to OUTDIR/NAME.mp4 \
        by its own child `reel render`. Sidecar files with its base name configure it: NAME.srt (or \
        NAME.zh.srt + NAME.en.srt), NAME.presenter.*, NAME.voice.*, and NAME.yaml, a plan that \
        overrides FOLDER/batch.yaml (defaults for every job, same keys as a plan). Any `reel render` \
        flag after the folder applies to every job, over its plan.

        A finished output has a manifest beside it (NAME.mp4.json: the inputs' fingerprints, the \
        resolved settings, reel's version); a rerun skips jobs whose manifest matches and renders \
        the rest. Logs: OUTDIR/logs/NAME.log. Overview: OUTDIR/report.html.

        Exit codes: 0 every job done or up to date; 1 some jobs failed (the others rendered; see \
        the summary); 64 bad usage; 65 invalid batch.yaml; 66 folder missing; 73 OUTDIR not \
        writable; 130/143 interrupted (running jobs are stopped, no partial output is left).
        """
    )

    @Argument(help: "The folder of recordings.") var folder: String
    @Option(name: .shortAndLong, help: "The output folder (created if missing).") var output: String
    @Option(help: "Jobs rendered at the same time (default: \(BatchOptions.defaultJobs) here: 2, or one per 8 cores past 16).") var jobs: Int?
    @Option(name: .customLong("job-timeout"), help: "Seconds a job may take before it is killed (default: 600 + 20 per second of video).") var jobTimeout: Double?
    @Flag(help: "Render every job again, even those whose output is up to date.") var force = false
    @Flag(name: .customLong("dry-run"), help: "List the jobs, what each would use, and which would be skipped; render nothing.") var dryRun = false
    @Option(help: "Render only a slice of the jobs: INDEX/COUNT (1-based), auto (Slurm array) or auto/COUNT (Kubernetes Indexed Job, AWS Batch array).") var shard: String?
    @Flag(help: "Take jobs one at a time through lock files in OUTDIR, shared with other workers.") var claim = false
    @Option(help: "Progress: 'json' prints one JSON event per line on stdout.") var progress: String?
    @Flag(name: .shortAndLong, help: "Print only the summary and errors.") var quiet = false
    @Flag(name: .customLong("no-report"), help: "Do not write OUTDIR/report.html.") var noReport = false
    @Flag(name: .customLong("no-thumbnails"), help: "Do not make a cover thumbnail per job for the report.") var noThumbnails = false
    @Argument(parsing: .allUnrecognized, help: "`reel render` flags for every job (e.g. --crf 23 --hook auto).") var renderFlags: [String] = []

    static let someFailed: Int32 = 1

    func run() throws {
        MediaLog.configure(verbose: false)
        var options = BatchOptions(folder: folder, outputFolder: output,
                                   executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        options.force = force
        options.dryRun = dryRun
        options.claim = claim
        options.thumbnails = !noThumbnails
        options.renderFlags = renderFlags
        options.jobTimeout = jobTimeout
        if let jobs {
            guard jobs >= 1 else { fail(MediaError(.usage, path: "", "--jobs \(jobs): expected 1 or more")) }
            options.jobs = jobs
        }
        if let t = jobTimeout, !(t > 0) { fail(MediaError(.usage, path: "", "--job-timeout \(t): expected seconds > 0")) }
        if let shard {
            guard !claim else { fail(MediaError(.usage, path: "", "--shard and --claim: choose one (fixed slices, or workers taking jobs)")) }
            do { options.shard = try Shard.parse(shard) } catch { fail(MediaError(.usage, path: "", "\(error)")) }
        }
        if let p = progress, p != "json" { fail(MediaError(.usage, path: "", "--progress \(p): only 'json' is supported")) }
        do { try BatchFlags.check(renderFlags) } catch { fail(error) }

        let printer = BatchPrinter(json: progress == "json", quiet: quiet)
        let runner = BatchRunner(options: options, onEvent: printer.show)
        if dryRun {
            Interruption.restoreDefaultActions()   // writes nothing: a signal may simply end it
            do {
                let all = try runner.discover()
                printer.dryRun(all: all, mine: runner.selected(all), prepare: runner.prepare, shard: options.shard, claim: claim)
            } catch { fail(error) }
            return
        }
        Interruption.install { _ in
            BatchRunner.interrupt()
            printer.interrupted()
        }
        let outcomes: [BatchRunner.Outcome]
        do { outcomes = try runner.run() } catch { fail(error) }
        // Stopped by a signal: 128 + signal once the running jobs are stopped and cleaned up,
        // whatever their outcomes (the printer said why); no report of a half-run batch.
        if let code = Interruption.finishStopping() { throw ExitCode(code) }
        if !noReport {
            do { try BatchReport.write(runner: runner) } catch { printer.warn("report: \(error)") }
        }
        printer.summary(outcomes, shard: options.shard, claim: claim,
                        report: noReport ? nil : (output as NSString).appendingPathComponent("report.html"))
        if outcomes.contains(where: { $0.status == .failed }) { throw ExitCode(Self.someFailed) }
    }
}

/// The render flags a batch passes to every job: checked here, once, as `reel render`
/// would check them; the ones the batch decides itself are refused.
enum BatchFlags {
    static let owned = ["-o", "--output", "--force", "--progress", "--quiet", "-q", "--frame-hashes", "--verbose"]

    static func check(_ flags: [String]) throws {
        for flag in flags {
            let name = flag.split(separator: "=", maxSplits: 1).first.map(String.init) ?? flag
            if owned.contains(name) {
                throw MediaError(.usage, path: "", "\(name): set by reel batch for each job; not a flag for every job")
            }
        }
        guard !flags.isEmpty else { return }
        do {
            let parsed = try RenderArguments.parse(["batch-job.mp4", "-o", "batch-job-out.mp4"] + flags)
            _ = try parsed.makeOptions()
        } catch let e as MediaError {
            throw e
        } catch {
            let message = RenderArguments.message(for: error).replacingOccurrences(of: "\n", with: " ")
            throw MediaError(.usage, path: "", message)
        }
    }
}
