import Foundation

/// A pipeline stage on its own thread, joinable.
/// `@unchecked Sendable`: `finished` is guarded by `lock`; the rest is immutable.
final class StageThread: @unchecked Sendable {
    // @unchecked: `finished` is read and written only under `lock`.
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        // Filter graphs and the x264 lookahead recurse deeply: the default 512 KiB is not enough.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the stage to end; safe to call more than once and from several threads.
    func join() {
        lock.lock()
        defer { lock.unlock() }
        if finished { return }
        done.wait()
        finished = true
    }
}
