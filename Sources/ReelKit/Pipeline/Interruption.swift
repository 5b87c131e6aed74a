import Foundation
import ReelMedia

/// Ctrl-C, SIGTERM, SIGHUP (terminal closed) and SIGQUIT stop a run by cancelling it: the
/// handler only records the signal (`Cancellation`), libav's I/O and the pipeline's stages
/// see it and unwind, the partial output is removed on the way out, and the command decides
/// the exit (128 + signal) in one place. SIGPIPE is ignored so a closed stdout is an EPIPE
/// write error the run handles the same way. Nothing here calls `exit()`.
///
/// `install()` runs first thing in `main`, before the arguments are parsed, so a signal is
/// never lost: from then on the C handler records it (a signal before that point takes the
/// default action, while reel has written nothing). Commands that do not stop by cancelling
/// call `restoreDefaultActions()`, which also ends the process by a signal already recorded.
public enum Interruption {
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Records every signal from now on (idempotent); `onSignal` (the last one given) runs
    /// once, on a watcher thread, for the first signal — at once if it already arrived.
    public static func install(onSignal: (@Sendable (Int32) -> Void)? = nil) {
        let (start, call) = state.install(onSignal)
        if let fd = start {
            let watcher = Thread { watch(fd) }
            watcher.name = "reel-signals"
            watcher.start()
        }
        if let (handler, sig) = call {
            handler(sig)
            state.callbackFinished()
        }
    }

    /// For a command whose work ends on its own once cancelled (a batch): waits until the
    /// `onSignal` callback has finished (it stops and cleans up what runs), then gives the
    /// exit code, 128 + signal; nil when no signal stopped the run.
    public static func finishStopping() -> Int32? {
        guard let code = exitCode else { return nil }
        state.waitForCallback(seconds: 30)
        return code
    }

    /// Back to the default action of every signal (SIGPIPE too), for a command that does not
    /// poll the cancellation; a signal recorded before this ends the process now, as it would
    /// have without handlers.
    public static func restoreDefaultActions() {
        Cancellation.restoreDefaultSignals(signals + [SIGPIPE])
        if let sig = Cancellation.signal { raise(sig) }
    }

    /// The exit code of a run stopped by a signal (128 + signal), nil when none stopped it.
    public static var exitCode: Int32? { Cancellation.signal.map { 128 + $0 } }

    private static let state = State()

    private static func watch(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 {
                let sig = Int32(byte)
                if let handler = state.firstDelivery() {
                    handler(sig)
                    state.callbackFinished()
                }
                lastResort(after: 20, signal: Cancellation.signal ?? sig)
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
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

    /// Whether the handlers are in, the command's callback, and whether it ran.
    /// `@unchecked Sendable`: every mutable field is guarded by `lock`.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var installed = false
        private var handler: (@Sendable (Int32) -> Void)?
        private var delivered = false
        private var seen = false
        private var finished = false
        private let done = DispatchSemaphore(value: 0)

        /// The watcher's descriptor when the handlers were installed now; the callback to run
        /// now when a signal came before it was given.
        func install(_ onSignal: (@Sendable (Int32) -> Void)?) -> (Int32?, ((@Sendable (Int32) -> Void), Int32)?) {
            lock.lock(); defer { lock.unlock() }
            var fd: Int32? = nil
            if !installed {
                installed = true
                signal(SIGPIPE, SIG_IGN)
                let pipe = Cancellation.catchSignals(Interruption.signals)
                if pipe >= 0 { fd = pipe }
            }
            guard let onSignal else { return (fd, nil) }
            handler = onSignal
            if seen, !delivered, let sig = Cancellation.signal {
                delivered = true
                return (fd, (onSignal, sig))
            }
            return (fd, nil)
        }

        func callbackFinished() {
            lock.lock(); finished = true; lock.unlock()
            done.signal()
        }

        /// Returns once the callback has run (at once when there is none to run).
        func waitForCallback(seconds: Double) {
            lock.lock()
            let pending = handler != nil && !finished
            lock.unlock()
            if pending { _ = done.wait(timeout: .now() + seconds) }
        }

        /// The callback, the first time a signal is delivered (nil after, or without one).
        func firstDelivery() -> (@Sendable (Int32) -> Void)? {
            lock.lock(); defer { lock.unlock() }
            seen = true
            guard !delivered, let handler else { return nil }
            delivered = true
            return handler
        }
    }
}
