import Foundation
import ReelMedia

/// The file being rendered: written under a temporary name in the destination folder and
/// renamed into place only on success, so the destination never holds a partial video.
/// Refuses to overwrite an input or (without force) an existing file.
final class OutputFile: @unchecked Sendable {
    let destination: String
    let temporary: String
    private var committed = false

    /// - Parameter kind: the temporary name's extension (what the file is, should one be left behind).
    init(destination path: String, inputs: [String], force: Bool, kind: String = "mp4") throws {
        let url = URL(fileURLWithPath: path)
        let destination = path
        let folder = url.deletingLastPathComponent().path
        let fm = FileManager.default
        for input in inputs where Self.sameFile(input, destination) {
            throw MediaError(.usage, path: destination, "is an input of this render; refusing to overwrite it")
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: destination, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw MediaError(.cannotWrite, path: destination, "is a directory") }
            if !force { throw MediaError(.cannotWrite, path: destination, "already exists (use --force to overwrite)") }
        }
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MediaError(.cannotWrite, path: destination, "cannot write: folder \(folder) does not exist")
        }
        self.destination = url.path
        temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).reel-\(getpid()).\(kind)").path
        // Prove the folder is writable now, before any work is done.
        guard fm.createFile(atPath: temporary, contents: nil) else {
            throw MediaError(.cannotWrite, path: destination, "cannot write: \(String(cString: strerror(errno)))")
        }
        OutputFile.register(temporary)
    }

    deinit { discard() }

    /// Moves the finished file into place (atomically replacing an old one with --force).
    func commit() throws {
        guard rename(temporary, destination) == 0 else {
            let cause = String(cString: strerror(errno))
            discard()
            throw MediaError(.cannotWrite, path: destination, "cannot write: \(cause)")
        }
        committed = true
        OutputFile.unregister(temporary)
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
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return false
    }

    // Temporary files still open, removed by the signal handler on Ctrl-C / SIGTERM.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var live: Set<String> = []
    static func register(_ path: String) { lock.lock(); live.insert(path); lock.unlock() }
    static func unregister(_ path: String) { lock.lock(); live.remove(path); lock.unlock() }
    static func removeAllLive() { lock.lock(); for p in live { unlink(p) }; live.removeAll(); lock.unlock() }
}

/// Ctrl-C and SIGTERM: stop the render, remove temporary output, exit 130 / 143.
public enum Interruption {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Installs the handlers once per process; `onSignal` runs before the process exits.
    public static func install(onSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                OutputFile.removeAllLive()
                onSignal(sig)
                exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
