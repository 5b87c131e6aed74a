import Foundation

/// reel's own writes to stdout and stderr, with write(2): a full or closed stream is an
/// error code to act on, never a trap (Foundation's FileHandle.write crashes on ENOSPC/EPIPE).
enum Console {
    /// Writes all of `text` to stderr; errors are ignored (there is nowhere left to report them).
    static func error(_ text: String) { _ = write(text, to: STDERR_FILENO) }

    /// Writes all of `text` to `fd`; returns 0 or the errno of the failed write.
    static func write(_ text: String, to fd: Int32) -> Int32 {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        bytes.removeAll()
        return 0
    }

    /// Control characters (a file name carrying terminal escape sequences) made visible:
    /// `\u{1B}` prints as `\x1b`, so a message cannot rewrite the user's terminal.
    static func visible(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += String(format: "\\x%02x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
