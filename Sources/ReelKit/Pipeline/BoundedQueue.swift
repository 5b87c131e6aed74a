import Foundation

/// A blocking FIFO with a fixed capacity between two pipeline stages: the producer waits
/// when it is full, so memory stays bounded whatever the input's length. Closing it wakes
/// everyone: pops drain what is left then return nil, pushes return false.
final class BoundedQueue<Element>: @unchecked Sendable {
    /// Taken slots are set to nil at once so a consumed frame is freed immediately.
    private var items: [Element?] = []
    private var head = 0
    private let capacity: Int
    private let condition = NSCondition()
    private var closed = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Blocks while full. Returns false when the queue was closed (the consumer gave up).
    @discardableResult
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Blocks while empty. Returns nil once closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head == 0 && !closed { condition.wait() }
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
