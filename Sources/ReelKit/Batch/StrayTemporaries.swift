import Foundation

/// Temporary files a killed run left in the output folder: `.NAME.mp4.reel-PID.mp4` from a
/// render, `.NAME.png.reel-PID.png` from a thumbnail, `.NAME.mp4.json.reel-PID.tmp` from a
/// manifest. One is removed when its process is gone (on this host; the job's claim or shard
/// says the job is this worker's, so no other worker is writing it).
public enum StrayTemporaries {
    /// Removes the job's stray temporaries in the output folder `folder` (and its `thumbs/`
    /// and `logs/`); returns the names removed.
    @discardableResult
    public static func clean(folder: String, job: String) -> [String] {
        var removed: [String] = []
        for (sub, prefixes) in [("", [".\(job).mp4.reel-", ".\(job).mp4.json.reel-"]), ("thumbs", [".\(job).png.reel-"]),
                                ("logs", [".\(job).failed.json.reel-"])] {
            let dir = sub.isEmpty ? folder : (folder as NSString).appendingPathComponent(sub)
            removed += clean(dir, prefixes)
        }
        return removed
    }

    static func clean(_ folder: String, _ prefixes: [String]) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for name in names where prefixes.contains(where: { name.hasPrefix($0) }) {
            guard let pid = owner(name), pid != getpid(), !alive(pid) else { continue }
            if unlink((folder as NSString).appendingPathComponent(name)) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Removes the merged-plan folders (`$TMPDIR/reel-batch-PID`) of batches that are gone
    /// (killed with SIGKILL, which leaves no chance to clean up).
    public static func cleanPlanFolders(in temporary: String = NSTemporaryDirectory()) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary) else { return }
        for name in names where name.hasPrefix("reel-batch-") {
            guard let pid = pid_t(name.dropFirst("reel-batch-".count)), pid != getpid(), !alive(pid) else { continue }
            try? FileManager.default.removeItem(atPath: (temporary as NSString).appendingPathComponent(name))
        }
    }

    /// The pid in `.X.reel-PID.ext`.
    static func owner(_ name: String) -> pid_t? {
        guard let range = name.range(of: ".reel-", options: .backwards) else { return nil }
        let digits = name[range.upperBound...].prefix { $0.isNumber }
        guard !digits.isEmpty, name[range.upperBound...].dropFirst(digits.count).hasPrefix(".") else { return nil }
        return pid_t(digits)
    }

    static func alive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
