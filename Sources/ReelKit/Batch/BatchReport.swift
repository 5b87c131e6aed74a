import Foundation
import Mustache

/// `OUTDIR/report.html`: every job of the folder with its state as OUTDIR shows it now
/// (manifests, failure records, claims), whichever worker or shard produced it, so the page
/// written by the last worker of a cluster run shows everything.
public enum BatchReport {
    /// The rows, in job order, for the report and for tests.
    public static func rows(runner: BatchRunner, jobs: [BatchJob]) -> [[String: Any]] {
        let out = runner.options.outputFolder
        let fm = FileManager.default
        return jobs.map { job -> [String: Any] in
            let p = runner.prepare(job)
            var row: [String: Any] = ["name": job.name, "recording": (job.recording as NSString).lastPathComponent]
            let manifest = JobManifest.read(forOutput: p.output)
            let current = p.error == nil && JobManifest.isCurrent(output: p.output, fingerprint: p.fingerprint)
            let failure = JobFailure.read(outputFolder: out, job: job.name)
            if current {
                row["status"] = "done"
            } else if let e = p.error {
                row["status"] = "failed"
                row["error"] = e
            } else if let failure, failure.fingerprint == p.fingerprint {
                row["status"] = "failed"
                row["error"] = failure.reason
            } else if let holder = ClaimLock.read(ClaimLock.path(folder: out, job: job.name)).holder {
                row["status"] = "running"
                row["worker"] = holder.description
            } else {
                row["status"] = manifest == nil ? "pending" : "outdated"
            }
            if let m = manifest, current {
                row["seconds"] = String(format: "%.1f s", m.seconds)
                row["worker"] = m.worker
                if let r = m.render {
                    row["duration"] = String(format: "%.2f s", r.duration)
                    row["crop"] = r.crop
                    if let v = r.cropReason { row["cropReason"] = v }
                    row["hook"] = r.hook ?? "none"
                    if let v = r.loudness { row["loudness"] = v }
                }
                row["output"] = "\(job.name).mp4"
            }
            if fm.fileExists(atPath: (out as NSString).appendingPathComponent("thumbs/\(job.name).png")), current {
                row["thumbnail"] = "thumbs/\(job.name).png"
            }
            if fm.fileExists(atPath: (out as NSString).appendingPathComponent("logs/\(job.name).log")) {
                row["log"] = "logs/\(job.name).log"
            }
            return row
        }
    }

    /// `0.8 s` for a short total (a `0:00` said nothing), `12:05`, `1:02:03`.
    static func mediaTime(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    public static func write(runner: BatchRunner) throws {
        let jobs = try runner.discover()
        let rows = rows(runner: runner, jobs: jobs)
        func count(_ s: String) -> Int { rows.filter { $0["status"] as? String == s }.count }
        let media = jobs.compactMap { JobManifest.read(forOutput: (runner.options.outputFolder as NSString).appendingPathComponent("\($0.name).mp4"))?.render?.duration }
            .reduce(0, +)
        let formatter = ISO8601DateFormatter()
        let context: [String: Any] = [
            "folder": runner.options.folder, "outputFolder": runner.options.outputFolder,
            "generated": formatter.string(from: Date()), "version": ReelVersion.string,
            "total": rows.count, "done": count("done"), "failed": count("failed"),
            "pending": rows.count - count("done") - count("failed"),
            "mediaTime": mediaTime(media),
            "jobs": rows,
        ]
        let template = try MustacheTemplate(string: ReportTemplate.html)
        let html = template.render(context)
        try AtomicFile.write(Data(html.utf8), to: (runner.options.outputFolder as NSString).appendingPathComponent("report.html"))
    }
}
