import Foundation

/// What reel asks of every file it reads, before opening it: that it is a regular file.
/// A FIFO blocks forever in `open()`, a device never ends, a directory is not media; all
/// are refused by what they are, with the same message for every kind of input.
public enum InputFile {
    /// Throws `MediaError` naming `path` unless it is a readable regular file (links followed).
    public static func check(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw MediaError(.notFound, path: path, "no such file")
            case ELOOP: throw MediaError(.invalidInput, path: path, "symbolic link loop")
            case EACCES: throw MediaError(.notFound, path: path, "not readable (permission denied)")
            case ENAMETOOLONG: throw MediaError(.invalidInput, path: path, "file name too long")
            default: throw MediaError(.notFound, path: path, "cannot read: \(String(cString: strerror(code)))")
            }
        }
        if let kind = specialKind(st.st_mode) { throw MediaError(.invalidInput, path: path, "is \(kind), not a regular file") }
        guard access(path, R_OK) == 0 else { throw MediaError(.notFound, path: path, "not readable (permission denied)") }
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
