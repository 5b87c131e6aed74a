internal import CReelShims
import Foundation

/// One process-wide "stop now": set by a signal or by a failed progress channel, polled by
/// the pipeline's stages and by libav's blocking I/O (its interrupt callback). Whoever sets
/// it never exits the process: the thread running the render sees an `.interrupted` error,
/// removes its partial output and decides the exit code in one place.
public enum Cancellation {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cause: MediaError?

    /// Asks every stage to stop; `signal` is the signal number (0 for another cause).
    /// Only the first request counts.
    public static func request(signal: Int32, cause error: MediaError? = nil) {
        lock.lock()
        // The cause is kept only when this request won: a signal handler may set the flag
        // (without the lock) between a check and the request.
        if reel_request_cancel(signal) != 0 { cause = error }
        lock.unlock()
    }

    public static var isRequested: Bool { reel_cancel_reason() != 0 }

    /// The signal that stopped the render, nil when none did (or another cause did).
    public static var signal: Int32? {
        let r = reel_cancel_reason()
        return r > 0 ? r : nil
    }

    /// The error the render ends with once cancelled: the cause given, or "interrupted".
    public static var error: MediaError? {
        guard isRequested else { return nil }
        lock.lock(); defer { lock.unlock() }
        return cause ?? MediaError(.interrupted, path: "", "interrupted by signal \(reel_cancel_reason())")
    }

    /// Installs handlers that request cancellation for `signals` (see `Interruption`); returns
    /// a descriptor that yields one byte per signal delivered, or -1 when that failed.
    public static func catchSignals(_ signals: [Int32]) -> Int32 {
        signals.withUnsafeBufferPointer { reel_install_signal_handlers($0.baseAddress, Int32($0.count)) }
    }

    /// Puts `signals` back to their default action.
    public static func restoreDefaultSignals(_ signals: [Int32]) {
        signals.withUnsafeBufferPointer { reel_restore_default_signals($0.baseAddress, Int32($0.count)) }
    }

    /// Throws the cancellation error when a stop was requested.
    public static func check() throws {
        if let error { throw error }
    }
}
