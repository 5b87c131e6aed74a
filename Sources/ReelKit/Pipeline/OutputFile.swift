import Foundation
import ReelMedia

/// A file reel writes: under a temporary name in the destination folder, renamed into place
/// only on success, so the destination never holds a partial file. Refuses, before any work:
/// any file this run reads (by device + inode, so hard and symbolic links count), anything
/// but a regular file (a device, FIFO or directory is never replaced, even with --force), and
/// without force an existing file. Leftovers of killed runs (`.NAME.reel-PID.EXT` whose
/// process is gone) are removed from the folder.
/// `@unchecked Sendable`: `committed` is its only mutable state, written and read by the
/// thread that runs the render (commit, then discard on failure); other threads (the signal
/// path) only use the immutable paths and the lock-guarded `live` set.
final class OutputFile: @unchecked Sendable {
    let destination: String
    let temporary: String
    /// The destination as the user wrote it, for messages.
    let given: String
    private var committed = false

    /// - Parameters:
    ///   - inputs: every file the run reads (see `RenderOptions.inputFiles`).
    ///   - kind: the temporary name's extension (what the file is, should one be left behind).
    init(destination path: String, inputs: [String], force: Bool, kind: String = "mp4") throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        try Self.refuseInputs(path, inputs: inputs)
        var st = stat()
        if stat(path, &st) == 0 {
            if let special = InputFile.specialKind(st.st_mode) {
                throw MediaError(.cannotWrite, path: path, "is \(special); reel writes only regular files")
            }
            if !force { throw MediaError(.cannotWrite, path: path, "already exists (use --force to overwrite)") }
        } else if errno == ELOOP {
            throw MediaError(.cannotWrite, path: path, "symbolic link loop")
        } else if lstat(path, &st) == 0 {
            // A dangling symbolic link: renaming over it would write where it does not point.
            throw MediaError(.cannotWrite, path: path, "is a symbolic link to a missing file")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MediaError(.cannotWrite, path: path, "cannot write: folder \(folder) does not exist")
        }
        destination = url.path
        given = path
        Self.removeStale(in: folder)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).reel-\(getpid()).\(kind)").path
        // Prove the folder is writable now, before any work is done; O_EXCL never follows a
        // link someone planted at the temporary name.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MediaError(.cannotWrite, path: path, "cannot write: \(String(cString: strerror(errno)))") }
        close(fd)
        OutputFile.register(temporary)
    }

    deinit { discard() }

    /// Throws when `path` is one of `inputs` (same device and inode, or the same path).
    static func refuseInputs(_ path: String, inputs: [String]) throws {
        for input in inputs where sameFile(input, path) {
            throw MediaError(.usage, path: path, "is an input of this run (\(input)); refusing to overwrite it")
        }
    }

    /// Moves the finished file into place (atomically replacing an old one with --force).
    /// A cancellation that arrived before this point wins: nothing is moved.
    func commit() throws {
        try Cancellation.check()
        guard rename(temporary, destination) == 0 else {
            let cause = String(cString: strerror(errno))
            discard()
            throw MediaError(.cannotWrite, path: destination, "cannot write: \(cause)")
        }
        committed = true
        OutputFile.unregister(temporary)
    }

    /// An error about the temporary file (a full disk while writing it) reported under the
    /// name the user gave: the temporary name means nothing to them.
    func reported(_ error: Error) -> Error {
        guard let e = error as? MediaError, e.path == temporary else { return error }
        return MediaError(e.kind, path: given, e.cause)
    }

    /// Removes the temporary file (failure, cancellation).
    func discard() {
        guard !committed else { return }
        unlink(temporary)
        OutputFile.unregister(temporary)
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        let ua = URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath()
        let ub = URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath()
        if ua.path == ub.path { return true }
        guard let ia = FileIdentity(path: a), let ib = FileIdentity(path: b) else { return false }
        return ia == ib
    }

    /// Removes `.NAME.reel-PID.EXT` files in `folder` whose process no longer exists (a
    /// SIGKILLed render). A live process's file, or a PID now reused, is left alone.
    static func removeStale(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") {
            guard let pid = stalePID(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = (folder as NSString).appendingPathComponent(name)
            var st = stat()
            if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == getuid() { unlink(path) }
        }
    }

    /// The PID in a temporary name `.NAME.reel-PID.EXT`, nil for any other name.
    static func stalePID(_ name: String) -> pid_t? {
        guard let marker = name.range(of: ".reel-", options: .backwards) else { return nil }
        let rest = name[marker.upperBound...]
        guard let dot = rest.firstIndex(of: "."), let pid = pid_t(rest[..<dot]), pid > 0,
              ["mp4", "png", "framemd5", "yaml"].contains(String(rest[rest.index(after: dot)...])) else { return nil }
        return pid
    }

    // Temporary files still open, removed by the last-resort exit after a signal.
    private static let lock = NSLock()
    /// `nonisolated(unsafe)`: only touched under `lock`.
    nonisolated(unsafe) private static var live: Set<String> = []
    static func register(_ path: String) { lock.lock(); live.insert(path); lock.unlock() }
    static func unregister(_ path: String) { lock.lock(); live.remove(path); lock.unlock() }
    static func removeAllLive() { lock.lock(); for p in live { unlink(p) }; live.removeAll(); lock.unlock() }
}
