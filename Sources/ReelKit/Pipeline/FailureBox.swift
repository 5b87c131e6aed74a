import Foundation
import ReelMedia

/// The first error of any stage; the others stop when they see it.
/// `@unchecked Sendable`: `first` is guarded by `lock`.
final class FailureBox: @unchecked Sendable {
    // @unchecked: `first` is read and written only under `lock`.
    private let lock = NSLock()
    private var first: Error?
    /// A cancellation (signal, closed stdout) counts as the first error once requested.
    var error: Error? { lock.lock(); defer { lock.unlock() }; return first ?? Cancellation.error }
    /// True once the run should stop (an error anywhere, or a cancellation).
    var isStopping: Bool { error != nil }
    func record(_ error: Error) { lock.lock(); if first == nil { first = error }; lock.unlock() }
}
