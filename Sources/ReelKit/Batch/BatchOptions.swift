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

    /// One render at a time up to 8 cores, then one more per 8 cores: a render already keeps
    /// about 4–8 cores busy (decode, compose and encode threads; x264's frame threads), so
    /// more jobs only compete for them, while past that, jobs fill what one render cannot
    /// use. Measured on the 2-core machine: see the README ("Batch and clusters").
    public static var defaultJobs: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return max(1, cores / 8)
    }

    /// Generous and proportional to the input: 10 minutes to prepare (probe, crop and hook
    /// analysis, loudness passes), then 20 s per second of output, far beyond a 1080p
    /// render's real cost (about 1 s per second on 2 cores).
    public static func defaultTimeout(duration: Double?) -> Double {
        600 + 20 * (duration ?? 0)
    }
}
