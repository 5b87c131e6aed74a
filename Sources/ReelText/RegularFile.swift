import Foundation
import Glibc

/// How the text engine opens a file the user named (subtitles, a font file): without
/// blocking (`O_NONBLOCK`: a FIFO would block `open()` forever, also one swapped in after a
/// check by name), and only when the descriptor itself is a regular file. ReelMedia's
/// `InputFile.open` does the same for media and plans (ReelText does not depend on it).
final class RegularFile {
    enum Problem: Error {
        case missing, loop, denied
        /// "a directory", "a FIFO (named pipe)", …
        case special(String)
        case other(String)
    }

    let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// The open file, blocking reads restored; closed when the value goes away.
    static func open(_ path: String) -> Result<RegularFile, Problem> {
        var st = stat()
        // By name first, so a device is refused without being opened at all.
        if stat(path, &st) == 0, let kind = specialKind(st.st_mode) { return .failure(.special(kind)) }
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(problem(errno)) }
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            return .failure(problem(code))
        }
        if let kind = specialKind(st.st_mode) {
            close(fd)
            return .failure(.special(kind))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .success(RegularFile(descriptor: fd))
    }

    deinit { close(descriptor) }

    /// A name that opens this very file again (not whatever the path names now), for a
    /// library that opens by name (FreeType); the path itself when /proc is not mounted.
    func reopenablePath(or path: String) -> String {
        let proc = "/proc/self/fd/\(descriptor)"
        return access(proc, R_OK) == 0 ? proc : path
    }

    /// Up to `limit` bytes from the start.
    func read(upTo limit: Int) throws -> Data {
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        return try handle.read(upToCount: limit) ?? Data()
    }

    private static func problem(_ code: Int32) -> Problem {
        switch code {
        case ENOENT, ENOTDIR: return .missing
        case ELOOP: return .loop
        case EACCES: return .denied
        default: return .other(String(cString: strerror(code)))
        }
    }

    static func specialKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
