import Foundation

/// A child process in its own process group (so a timeout or Ctrl-C kills it and anything it
/// started), stdin from /dev/null, stdout on a pipe the batch reads, stderr into a log file.
/// Spawned and reaped on the batch's one scheduling thread; nothing is shared with it but
/// files, so its crash or memory cannot touch the batch.
public final class ChildProcess {
    public let pid: pid_t
    /// Read end of the child's stdout (non-blocking), -1 once closed.
    public private(set) var output: Int32
    private var buffer = Data()
    public private(set) var status: Int32?

    public struct SpawnFailed: Error, CustomStringConvertible { public let description: String }

    /// - Parameters:
    ///   - log: file descriptor the child's stderr goes to.
    ///   - environment: added to (or replacing in) the batch's own environment.
    public init(executable: String, arguments: [String], log: Int32, environment: [String: String] = [:]) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw SpawnFailed(description: "pipe: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        // The child keeps the pipe's read end open (inherited, unused): if the batch is
        // killed, the child's next progress line must not die of SIGPIPE with its temporary
        // output still on disk, but reach the render's own SIGTERM cleanup (ParentWatch).
        // A few lines a second cannot fill the pipe before that.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (pgid = pid); default signal dispositions (the batch ignores
        // SIGINT/SIGTERM for its own handling; the child must not inherit that).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child = pid_t()
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(pipeFDs[1])
        guard rc == 0 else {
            close(pipeFDs[0])
            throw SpawnFailed(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        output = pipeFDs[0]
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFD, FD_CLOEXEC)
    }

    deinit {
        if output >= 0 { close(output) }
    }

    /// Reads what the child wrote so far; returns complete lines.
    public func readLines() -> [String] {
        guard output >= 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(output, &chunk, chunk.count)
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); continue }
            if n == 0 { close(output); output = -1 }
            break
        }
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
        if output < 0, !buffer.isEmpty {
            lines.append(String(decoding: buffer, as: UTF8.self))
            buffer.removeAll()
        }
        return lines
    }

    /// Reaps the child if it has ended; the raw wait status.
    @discardableResult
    public func poll() -> Int32? {
        if let status { return status }
        var s: Int32 = 0
        let r = waitpid(pid, &s, WNOHANG)
        if r == pid { status = s }
        // Already reaped elsewhere (`BatchRunner.interrupt()` waits for the jobs it stops):
        // it ended by the SIGTERM sent to it; saying so lets the run loop finish at once
        // instead of waiting for a status that will never come.
        else if r < 0, errno == ECHILD { status = SIGTERM }
        return status
    }

    /// Waits for the child to end.
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var s: Int32 = 0
        while waitpid(pid, &s, 0) < 0 && errno == EINTR {}
        status = s
        return s
    }

    /// Signals the child's whole process group.
    public func signalGroup(_ signal: Int32) {
        guard status == nil else { return }
        kill(-pid, signal)
    }

    /// How the child ended, in words: `exit 65`, `killed by signal 11 (SIGSEGV)`.
    public static func describe(_ status: Int32) -> (exitCode: Int32?, signal: Int32?) {
        let low = status & 0x7f
        if low == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, low)
    }

    public static func signalName(_ s: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL", SIGFPE: "SIGFPE",
                                      SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGTRAP: "SIGTRAP"]
        return "signal \(s)" + (names[s].map { " (\($0))" } ?? "")
    }
}
