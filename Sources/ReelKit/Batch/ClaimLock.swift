import Foundation

/// `--claim`: a job belongs to the worker that created `OUTDIR/.claims/NAME.lock` first
/// (O_CREAT|O_EXCL is atomic, on NFS too since v3). The lock names the worker's host and
/// pid, so a lock left by a worker that is gone (a dead pid on this host, or older than its
/// job timeout anywhere) is taken over.
/// `@unchecked Sendable`: `released` is guarded by `lock` (the run loop and the interrupt
/// path may both release a claim).
public final class ClaimLock: @unchecked Sendable {
    public struct Holder: Codable, Sendable, Equatable {
        public var host: String
        public var pid: Int32
        /// Seconds since 1970.
        public var started: Double
        /// After this many seconds the worker would have killed the job itself.
        public var timeout: Double

        public var description: String { "\(host) pid \(pid)" }
    }

    public enum Outcome {
        case acquired(ClaimLock)
        case held(by: Holder?)
    }

    public let path: String
    public let holder: Holder
    private var released = false
    private let lock = NSLock()

    init(path: String, holder: Holder) {
        self.path = path
        self.holder = holder
    }

    deinit { release() }

    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func path(folder: String, job: String) -> String {
        (folder as NSString).appendingPathComponent(".claims/\(job).lock")
    }

    /// Tries to claim `job`; `timeout` is the longest this worker lets the job run.
    public static func claim(folder: String, job: String, timeout: Double) throws -> Outcome {
        let claims = (folder as NSString).appendingPathComponent(".claims")
        try? FileManager.default.createDirectory(atPath: claims, withIntermediateDirectories: true)
        let path = Self.path(folder: folder, job: job)
        let me = Holder(host: hostName, pid: getpid(), started: Date().timeIntervalSince1970, timeout: timeout)
        for _ in 0..<3 {
            if create(path, me) { return .acquired(ClaimLock(path: path, holder: me)) }
            guard errno == EEXIST else { throw JobDiscovery.Failure(description: "\(path): cannot create a claim: \(String(cString: strerror(errno)))") }
            let (data, current) = read(path)
            guard isStale(current, data: data, path: path) else { return .held(by: current) }
            // Move the stale lock aside; of several workers doing this at once only one rename
            // succeeds. If what was moved is not the lock judged stale (it was replaced in
            // between), put it back.
            let aside = "\(path).stale-\(me.host)-\(me.pid)"
            guard rename(path, aside) == 0 else { continue }
            let (movedData, _) = read(aside)
            if movedData != data {
                _ = link(aside, path)
                unlink(aside)
                return .held(by: current)
            }
            unlink(aside)
        }
        let (_, current) = read(path)
        return .held(by: current)
    }

    /// The job is finished (or failed): others may take it again only when its manifest says so.
    public func release() {
        lock.lock()
        let first = !released
        released = true
        lock.unlock()
        guard first else { return }
        // Only remove the lock if it is still ours.
        if Self.read(path).holder == holder { unlink(path) }
    }

    static func create(_ path: String, _ holder: Holder) -> Bool {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let data = (try? JSONEncoder().encode(holder)) ?? Data()
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return true
    }

    static func read(_ path: String) -> (data: Data?, holder: Holder?) {
        guard let data = FileManager.default.contents(atPath: path) else { return (nil, nil) }
        return (data, try? JSONDecoder().decode(Holder.self, from: data))
    }

    static func isStale(_ holder: Holder?, data: Data?, path: String) -> Bool {
        guard let holder else {
            // Being written right now, or garbage: stale only when it has been so for a while.
            var st = stat()
            guard data != nil, stat(path, &st) == 0 else { return false }
            return Date().timeIntervalSince1970 - Double(st.st_mtim.tv_sec) > 60
        }
        if holder.host == hostName, kill(holder.pid, 0) != 0, errno == ESRCH { return true }
        return Date().timeIntervalSince1970 - holder.started > holder.timeout + 60
    }
}
