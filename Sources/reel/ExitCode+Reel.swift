import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

/// Exit codes (sysexits.h), documented in `reel --help`.
enum ReelExit {
    static let usage: Int32 = 64          // EX_USAGE: bad flag values, output = input
    static let invalidInput: Int32 = 65   // EX_DATAERR: empty, truncated, not media, no video stream
    static let missingInput: Int32 = 66   // EX_NOINPUT: input file missing or unreadable
    static let unavailable: Int32 = 69    // EX_UNAVAILABLE: encoder not in this libavcodec, font not installed
    static let internalError: Int32 = 70  // EX_SOFTWARE: a bug in reel
    static let cannotWrite: Int32 = 73    // EX_CANTCREAT: destination exists / not writable

    static let help = """
    Exit codes: 0 success; 64 bad usage (invalid flag value, output is an input); 65 invalid input \
    (empty, truncated, not a media file, no video stream); 66 input missing or unreadable; \
    69 encoder or font not available; 70 internal error; 73 cannot write the output (exists without \
    --force, not a regular file, folder missing or not writable, no space left); 128+N stopped by \
    signal N: 129 SIGHUP, 130 Ctrl-C, 131 SIGQUIT, 141 stdout closed (SIGPIPE), 143 SIGTERM (the \
    partial output is removed).
    """

    static func code(for error: MediaError) -> Int32 {
        switch error.kind {
        case .notFound: return missingInput
        case .invalidInput: return invalidInput
        case .unavailable: return unavailable
        case .cannotWrite: return cannotWrite
        case .usage: return usage
        case .interrupted: return 130
        case .internalFailure: return internalError
        }
    }
}

/// Prints `reel: <file>: <cause>` on one line and exits with the documented code. The one
/// place a command decides its exit: a run stopped by a signal (whatever error the stop
/// surfaced as) exits 128 + signal, after its partial output was removed on the way here.
func fail(_ error: Error) -> Never {
    if let code = Interruption.exitCode {
        Console.error("reel: interrupted (\(signalName(code - 128))); partial output removed\n")
        exit(code)
    }
    let message: String
    let code: Int32
    if let e = error as? MediaError {
        message = e.description
        code = ReelExit.code(for: e)
    } else {
        message = "\(error)"
        code = ReelExit.internalError
    }
    Console.error("reel: " + Console.visible(message) + "\n")
    exit(code)
}

func signalName(_ sig: Int32) -> String {
    switch sig {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    case SIGQUIT: return "SIGQUIT"
    case SIGPIPE: return "SIGPIPE: stdout was closed"
    default: return "signal \(sig)"
    }
}
