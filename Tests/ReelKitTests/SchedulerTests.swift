import XCTest
import ReelMedia
@testable import ReelKit

/// The scheduler's ports: a stage that stops reading stops the one feeding it (how the
/// presenter stage of an open-ended edit list ends), and the compose stage's presenter port
/// picks the picture of each output frame from the presenter stage's messages.
final class SchedulerTests: XCTestCase {
    /// Counts up forever; stops only when nobody reads.
    final class Counter: RenderStage, @unchecked Sendable {
        // @unchecked: runs on one thread; the test reads `itemsOut` after the run.
        let name = "counter"
        let inputs: [any MeteredQueue] = []
        var outputs: [any MeteredQueue] { [queue] }
        private(set) var itemsOut = 0
        let skippedUnchanged = 0
        let queue: BoundedQueue<Int>
        init(_ queue: BoundedQueue<Int>) { self.queue = queue }
        func run(_ control: FailureBox) throws {
            while !control.isStopping, queue.push(itemsOut) { itemsOut += 1 }
        }
    }

    /// Reads `wanted` items, then returns.
    final class Taker: RenderStage, @unchecked Sendable {
        // @unchecked: runs on one thread; the test reads its fields after the run.
        let name = "taker"
        var inputs: [any MeteredQueue] { [queue] }
        let outputs: [any MeteredQueue] = []
        private(set) var itemsOut = 0
        let skippedUnchanged = 0
        let queue: BoundedQueue<Int>
        let wanted: Int
        private(set) var seen: [Int] = []
        init(_ queue: BoundedQueue<Int>, wanted: Int) { self.queue = queue; self.wanted = wanted }
        func run(_ control: FailureBox) throws {
            while seen.count < wanted, let n = queue.pop() { seen.append(n) }
            itemsOut = seen.count
        }
    }

    func testAStageThatStopsReadingStopsTheStageFeedingIt() throws {
        let queue = BoundedQueue<Int>(capacity: 3)
        let counter = Counter(queue), taker = Taker(queue, wanted: 5)
        let done = DispatchSemaphore(value: 0)
        let result = Box()
        Thread {
            result.stats = try? Scheduler().run([counter, taker])
            done.signal()
        }.start()
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the counter went on pushing into a queue nobody reads")
        XCTAssertEqual(taker.seen, [0, 1, 2, 3, 4])
        // What it made beyond what was read is at most a full queue and the push that failed.
        XCTAssertLessThanOrEqual(counter.itemsOut, 5 + 3)
        XCTAssertEqual(result.stats?.map(\.stage), ["counter", "taker"])
    }

    func testPresenterPortGivesEachOutputFrameItsPictureAndHoldsTheLastAfterTheEnd() throws {
        let a = try Frame(RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12)))
        let b = try Frame(RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 255, count: 12)))
        let queue = BoundedQueue<PresenterMessage>(capacity: 8)
        for message in [PresenterMessage.picture(nil, outputFrame: 0), .picture(a, outputFrame: 1), .picture(a, outputFrame: 2),
                        .picture(b, outputFrame: 3), .end] { queue.push(message) }
        let port = PresenterPort(queue: queue, x: 10, y: 20, reference: nil)
        XCTAssertNil(port.picture(forOutputFrame: 0), "off before its start")
        XCTAssertTrue(port.picture(forOutputFrame: 1) === a)
        // Asked again for the same frame (another layer): the same picture, nothing consumed.
        XCTAssertTrue(port.picture(forOutputFrame: 1) === a)
        XCTAssertTrue(port.picture(forOutputFrame: 3) === b, "a frame skipped over still lands on its own picture")
        XCTAssertTrue(port.picture(forOutputFrame: 7) === b, "after the end the last picture holds")
        XCTAssertThrowsError(try port.firstPicture(), "no reference was prepared")
    }
}

/// The scheduler's result, set on the thread that ran it and read after it signalled.
private final class Box: @unchecked Sendable {
    // @unchecked: written before `done.signal()`, read after `done.wait`.
    var stats: [StageStats]?
}
