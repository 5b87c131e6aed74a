import Foundation
import Glibc

/// What reel asks of every file it reads, before opening it: that it is a regular file.
/// A FIFO blocks forever in `open()`, a device never ends, a directory is not media; all
/// are refused by what they are, with the same message for every kind of input.
///
/// `check` looks by name (stat) and opens nothing; `open` then opens without blocking and
/// checks the descriptor itself, so a path swapped for a FIFO or a device between the two
/// is refused too, and the bytes read are those of the file that was checked.
public enum InputFile {
    /// Throws `MediaError` naming `path` unless it is a readable regular file (links followed).
    public static func check(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw openError(errno, path) }
        if let kind = specialKind(st.st_mode) { throw MediaError(.invalidInput, path: path, "is \(kind), not a regular file") }
        guard access(path, R_OK) == 0 else { throw MediaError(.notFound, path: path, "not readable (permission denied)") }
    }

    /// Opens `path` for reading once `check` passed: `O_NONBLOCK` (a FIFO swapped in after
    /// the check cannot block the open) and `O_NOCTTY`, then the descriptor itself must be a
    /// regular file; blocking reads are restored for the caller.
    public static func open(_ path: String) throws -> Opened {
        try check(path)   // by name first: a device is refused without being opened
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(errno, path) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw openError(code, path)
        }
        if let kind = specialKind(st.st_mode) {
            close(fd)
            throw MediaError(.invalidInput, path: path, "is \(kind), not a regular file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return Opened(path: path, descriptor: fd, size: Int(st.st_size))
    }

    /// An open regular file; the descriptor is closed with the value.
    public final class Opened: Sendable {
        public let path: String
        public let descriptor: Int32
        /// The size when it was opened.
        public let size: Int

        init(path: String, descriptor: Int32, size: Int) {
            self.path = path
            self.descriptor = descriptor
            self.size = size
        }

        deinit { close(descriptor) }

        /// Every byte from the start; throws when the file is over `limit` bytes (checked
        /// while reading, so a file that grows after the check cannot exceed it).
        public func readAll(limit: Int, tooLarge: (Int) -> String) throws -> Data {
            var data = Data()
            var chunk = [UInt8](repeating: 0, count: 65536)
            var offset: off_t = 0
            while true {
                let n = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw MediaError(.invalidInput, path: path, "cannot read: \(String(cString: strerror(errno)))")
                }
                if n == 0 { return data }
                data.append(contentsOf: chunk[0..<n])
                offset += off_t(n)
                if data.count > limit { throw MediaError(.invalidInput, path: path, tooLarge(data.count)) }
            }
        }
    }

    private static func openError(_ code: Int32, _ path: String) -> MediaError {
        switch code {
        case ENOENT, ENOTDIR: return MediaError(.notFound, path: path, "no such file")
        case ELOOP: return MediaError(.invalidInput, path: path, "symbolic link loop")
        case EACCES: return MediaError(.notFound, path: path, "not readable (permission denied)")
        case ENAMETOOLONG: return MediaError(.invalidInput, path: path, "file name too long")
        default: return MediaError(.notFound, path: path, "cannot read: \(String(cString: strerror(code)))")
        }
    }

    /// "a directory", "a FIFO (named pipe)", … for anything but a regular file.
    public static func specialKind(_ mode: mode_t) -> String? {
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

/// A file's identity (device + inode): two paths name the same file when these match,
/// whatever links or `..` lie between them.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// nil when the path does not exist (yet).
    public init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
