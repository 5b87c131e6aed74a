import Foundation

/// A stable slice of a batch's sorted jobs: shard `index` of `count` (1-based, as the user
/// writes it: `--shard 2/4`) takes jobs 2, 6, 10, … (every count-th, so long and short jobs
/// spread evenly when names group them).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int
    /// Where an automatic shard came from (`SLURM_ARRAY_TASK_ID=3 …`).
    public let source: String?

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    public init(index: Int, count: Int, source: String? = nil) {
        self.index = index
        self.count = count
        self.source = source
    }

    public var description: String { "\(index)/\(count)" + (source.map { " (\($0))" } ?? "") }

    /// The jobs of this shard, in their order.
    public func select<T>(_ jobs: [T]) -> [T] {
        jobs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    /// `i/n`, `auto` (Slurm array), or `auto/n` (Kubernetes Indexed Job, AWS Batch array:
    /// they give the index, the count is yours).
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts[0] == "auto" {
            guard parts.count <= 2 else { throw Invalid(description: "--shard \(text): expected auto or auto/COUNT") }
            var count: Int?
            if parts.count == 2 {
                guard let n = Int(parts[1]), n >= 1 else { throw Invalid(description: "--shard \(text): COUNT must be a whole number ≥ 1") }
                count = n
            }
            return try automatic(count: count, environment: environment)
        }
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw Invalid(description: "--shard \(text): expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT (e.g. 2/4), auto or auto/COUNT")
        }
        return Shard(index: i, count: n)
    }

    /// Reads the engine's array index: Slurm (`SLURM_ARRAY_TASK_ID` - `SLURM_ARRAY_TASK_MIN`
    /// of `SLURM_ARRAY_TASK_COUNT`), Kubernetes (`JOB_COMPLETION_INDEX`) or AWS Batch
    /// (`AWS_BATCH_JOB_ARRAY_INDEX`), all 0-based.
    static func automatic(count given: Int?, environment env: [String: String]) throws -> Shard {
        func int(_ key: String) throws -> Int? {
            guard let v = env[key], !v.isEmpty else { return nil }
            guard let i = Int(v), i >= 0 else { throw Invalid(description: "--shard auto: \(key)=\(v) is not a whole number") }
            return i
        }
        if let id = try int("SLURM_ARRAY_TASK_ID") {
            let minimum = try int("SLURM_ARRAY_TASK_MIN") ?? 0
            let fromSlurm = try int("SLURM_ARRAY_TASK_COUNT")
            guard let count = given ?? fromSlurm else {
                throw Invalid(description: "--shard auto: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; give --shard auto/COUNT")
            }
            return try checked(id - minimum, count, "SLURM_ARRAY_TASK_ID=\(id) SLURM_ARRAY_TASK_MIN=\(minimum) SLURM_ARRAY_TASK_COUNT=\(count)")
        }
        for key in ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] {
            if let index = try int(key) {
                let fromEnvironment = try int("REEL_SHARD_COUNT")
                guard let count = given ?? fromEnvironment else {
                    throw Invalid(description: "--shard auto: \(key)=\(index) gives the index but not the count; use --shard auto/COUNT (the array's size)")
                }
                return try checked(index, count, "\(key)=\(index) of \(count)")
            }
        }
        throw Invalid(description: "--shard auto: no array index in the environment (none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX is set); use --shard INDEX/COUNT")
    }

    static func checked(_ zeroBased: Int, _ count: Int, _ source: String) throws -> Shard {
        guard count >= 1, (0..<count).contains(zeroBased) else {
            throw Invalid(description: "--shard auto: \(source): index outside 0…\(count - 1)")
        }
        return Shard(index: zeroBased + 1, count: count, source: source)
    }
}
