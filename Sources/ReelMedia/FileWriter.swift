import Foundation

/// Writes a whole file with write(2), so a failure reports the system's own cause
/// ("No space left on device") rather than Foundation's paraphrase.
public enum FileWriter {
    public static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw MediaError(.cannotWrite, path: path, "cannot write: \(String(cString: strerror(errno)))") }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                done += n
            }
        }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw MediaError(.cannotWrite, path: path, "cannot write: \(String(cString: strerror(failure)))") }
    }
}
