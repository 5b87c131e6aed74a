import Foundation
import ReelMedia

/// Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT stop a run by cancelling it: the
/// handler only records the signal (`Cancellation`), libav's I/O and the pipeline's stages
/// see it and unwind, the partial output is removed on the way out, and the command decides
/// the exit (128 + signal) in one place. SIGPIPE is ignored so a closed stdout is an EPIPE
/// write error the run handles the same way. Nothing here calls `exit()`.
public enum Interruption {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Installs the handlers once per process. `onSignal` runs on the signal's queue.
    public static func install(onSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        guard sources.isEmpty else { return }
        signal(SIGPIPE, SIG_IGN)
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let first = !Cancellation.isRequested
                Cancellation.request(signal: sig)
                if first { onSignal(sig) }
                lastResort(after: 20, signal: sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Should the run not unwind in time (stuck in a library call), the partial output is
    /// removed and the process ends without running exit handlers (`_exit`, which is safe
    /// while other threads still run, unlike `exit`).
    private static func lastResort(after seconds: Double, signal sig: Int32) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            OutputFile.removeAllLive()
            _exit(128 + sig)
        }
    }

    /// The exit code of a run stopped by a signal (128 + signal), nil when none stopped it.
    public static var exitCode: Int32? { Cancellation.signal.map { 128 + $0 } }
}
