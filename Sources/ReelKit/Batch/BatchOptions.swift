import Foundation

/// What `reel batch` was asked to do.
public struct BatchOptions: Sendable {
    public var folder: String
    public var outputFolder: String
    /// `reel render` flags given after the folder: applied to every job, over its plan.
    public var renderFlags: [String] = []
    /// Concurrent jobs.
    public var jobs: Int = BatchOptions.defaultJobs
    /// Seconds a job may run; nil = `defaultTimeout(duration:)`.
    public var jobTimeout: Double?
    public var force = false
    public var dryRun = false
    public var shard: Shard?
    public var claim = false
    /// Write a cover thumbnail per job (a `reel sheet` child) for the report.
    public var thumbnails = true
    /// The reel binary the jobs run (`/proc/self/exe` for `reel batch`).
    public var executable: String

    public init(folder: String, outputFolder: String, executable: String) {
        // Absolute: the plans the jobs run are written elsewhere.
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        self.outputFolder = URL(fileURLWithPath: outputFolder).standardizedFileURL.path
        self.executable = executable
    }

    /// Two renders up to 16 cores, then one per 8 cores (8 on 64). A render already keeps
    /// several cores busy (decode, compose and encode threads; x264's frame threads, 1.5 ×
    /// cores), but has single-threaded stretches (probing, loudness passes, muxing, process
    /// start) where a second job fills the idle core. Measured on the shared 2-core machine:
    /// the same CPU time for 1 or 2 jobs, wall time never worse with 2 (README, "Batch and
    /// clusters"); past 16 cores one render cannot use more than about 8.
    public static var defaultJobs: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return max(2, cores / 8)
    }

    /// Generous and proportional to the input: 10 minutes to prepare (probe, crop and hook
    /// analysis, loudness passes), then 20 s per second of output, far beyond a 1080p
    /// render's real cost (about 1 s per second on 2 cores).
    public static func defaultTimeout(duration: Double?) -> Double {
        600 + 20 * (duration ?? 0)
    }
}
