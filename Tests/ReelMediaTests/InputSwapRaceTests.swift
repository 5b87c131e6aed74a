import Foundation
import XCTest
@testable import ReelMedia

/// A path checked as a regular file and then swapped for a FIFO before it is opened must not
/// block the open (a FIFO's `open()` waits for a writer forever). A thread flips a symbolic
/// link between a media file and a FIFO while `Demuxer` opens it over and over: every open
/// ends at once, either reading the media file or refusing the FIFO. Before reel opened with
/// `O_NONBLOCK` and checked the descriptor, libav's own `open()` of the path blocked.
final class InputSwapRaceTests: XCTestCase {
    func testPathSwappedForAFIFOAfterTheCheckNeverBlocks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-swap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let media = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fixtures/media/presenter-still.png").standardizedFileURL.path
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let link = dir.appendingPathComponent("input.png").path
        XCTAssertEqual(symlink(media, link), 0)

        let swapping = SwapFlag()
        let swapper = Thread {
            var toFIFO = true
            while !swapping.isSet {
                let next = dir.appendingPathComponent("next").path
                unlink(next)
                _ = symlink(toFIFO ? fifo : media, next)
                _ = rename(next, link)   // atomic: the link always names one or the other
                toFIFO.toggle()
            }
        }
        swapper.start()
        defer { swapping.set() }

        let done = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Thread {
            for _ in 0..<300 {
                do {
                    let demuxer = try Demuxer(path: link)
                    if demuxer.bestStream(.video) != nil { outcome.add(opened: true) } else { outcome.add(problem: "no video stream") }
                } catch let e as MediaError {
                    if e.cause == "is a FIFO (named pipe), not a regular file" { outcome.add(opened: false) } else { outcome.add(problem: e.description) }
                } catch {
                    outcome.add(problem: "\(error)")
                }
            }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 120) == .timedOut {
            // Release the blocked open (a writer end appears) so the process can go on.
            swapping.set()
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            XCTFail("an open of a path swapped for a FIFO blocked")
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 10)
        }
        let (opened, refused, problems) = outcome.counts
        XCTAssertEqual(problems, [], "opened \(opened), refused \(refused)")
        XCTAssertEqual(opened + refused, 300)
        print("InputSwapRaceTests: opened \(opened), refused \(refused)")
    }
}

private final class SwapFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var opened = 0, refused = 0
    private var problems: [String] = []
    func add(opened ok: Bool) { lock.lock(); if ok { opened += 1 } else { refused += 1 }; lock.unlock() }
    func add(problem: String) { lock.lock(); problems.append(problem); lock.unlock() }
    var counts: (Int, Int, [String]) { lock.lock(); defer { lock.unlock() }; return (opened, refused, problems) }
}
