import Foundation

/// A blocking FIFO with a fixed capacity between two pipeline stages: the producer waits
/// when it is full, so memory stays bounded whatever the input's length. Closing it wakes
/// everyone: pops drain what is left then return nil, pushes return false. It measures how
/// long its producer and consumer waited on it and how full it got (`reel render --stats`).
/// `@unchecked Sendable`: every mutable field is read and written under `condition`'s lock.
final class BoundedQueue<Element>: MeteredQueue, @unchecked Sendable {
    // @unchecked: every field is read and written under `condition`.
    /// Taken slots are set to nil at once so a consumed frame is freed immediately.
    private var items: [Element?] = []
    private var head = 0
    private let capacity: Int
    private let condition = NSCondition()
    private var closed = false
    private var pushWaitNanos: UInt64 = 0, popWaitNanos: UInt64 = 0
    private var peak = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var pushWaitSeconds: Double { condition.lock(); defer { condition.unlock() }; return Double(pushWaitNanos) / 1e9 }
    var popWaitSeconds: Double { condition.lock(); defer { condition.unlock() }; return Double(popWaitNanos) / 1e9 }
    var peakDepth: Int { condition.lock(); defer { condition.unlock() }; return peak }

    /// Blocks while full. Returns false when the queue was closed (the consumer gave up).
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if items.count - head >= capacity && !closed {
            let since = DispatchTime.now().uptimeNanoseconds
            while items.count - head >= capacity && !closed { condition.wait() }
            pushWaitNanos += DispatchTime.now().uptimeNanoseconds - since
        }
        if closed { return false }
        items.append(item)
        peak = max(peak, items.count - head)
        condition.broadcast()
        return true
    }

    /// Blocks while empty. Returns nil once closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        if items.count - head == 0 && !closed {
            let since = DispatchTime.now().uptimeNanoseconds
            while items.count - head == 0 && !closed { condition.wait() }
            popWaitNanos += DispatchTime.now().uptimeNanoseconds - since
        }
        return takeLocked()
    }

    /// Takes the oldest item (the lock is held), waking a producer waiting for room.
    private func takeLocked() -> Element? {
        guard items.count - head > 0 else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head > 64 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        condition.broadcast()
        return item
    }

    /// No more items will come (end of stream) or nobody will take them (failure).
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Closes and drops what is queued (on failure or cancellation).
    func cancel() {
        condition.lock()
        closed = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
