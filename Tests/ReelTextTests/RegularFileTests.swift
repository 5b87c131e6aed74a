import Foundation
import XCTest
@testable import ReelText

/// Subtitle and font files are opened without blocking and checked on the descriptor:
/// a FIFO (also one swapped in for a checked path) is refused at once, never waited on.
final class RegularFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-regular-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testKindsAreRefusedAndTheReopenedNameIsTheSameFile() throws {
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for (path, expected) in [(fifo, "a FIFO (named pipe)"), ("/dev/null", "a character device"), (dir.path, "a directory")] {
            guard case .failure(.special(let kind)) = RegularFile.open(path) else { return XCTFail("\(path) opened") }
            XCTAssertEqual(kind, expected)
        }
        guard case .failure(.missing) = RegularFile.open(dir.appendingPathComponent("none").path) else { return XCTFail("missing file opened") }

        // FreeType opens by name: the name given to it is the very file that was checked,
        // even once the path names something else.
        let font = dir.appendingPathComponent("a.ttf").path
        try Data("font".utf8).write(to: URL(fileURLWithPath: font))
        let file = try RegularFile.open(font).get()
        try FileManager.default.removeItem(atPath: font)
        XCTAssertEqual(mkfifo(font, 0o600), 0)
        let reopened = file.reopenablePath(or: font)
        XCTAssertNotEqual(reopened, font, "/proc is mounted here")
        XCTAssertEqual(String(data: try Data(contentsOf: URL(fileURLWithPath: reopened)), encoding: .utf8), "font")
    }

    func testSubtitlePathSwappedForAFIFONeverBlocks() throws {
        let srt = dir.appendingPathComponent("real.srt").path
        try "1\n00:00:00,000 --> 00:00:01,000\n你好\nHello\n".write(toFile: srt, atomically: true, encoding: .utf8)
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let link = dir.appendingPathComponent("talk.srt").path
        XCTAssertEqual(symlink(srt, link), 0)
        let stop = Flag()
        let directory = dir.path
        Thread {
            var toFIFO = true
            while !stop.isSet {
                let next = directory + "/next"
                unlink(next)
                _ = symlink(toFIFO ? fifo : srt, next)
                _ = rename(next, link)   // atomic: the link always names one or the other
                toFIFO.toggle()
            }
        }.start()
        defer { stop.set() }

        let done = DispatchSemaphore(value: 0)
        let results = Results()
        Thread {
            for _ in 0..<500 {
                do {
                    let cues = try SubtitleReader.read(path: link)
                    results.add(cues.count == 1 ? "read" : "cues: \(cues.count)")
                } catch let e as SubtitleError {
                    results.add(e.message == "is a FIFO (named pipe)" ? "refused" : e.message)
                } catch {
                    results.add("\(error)")
                }
            }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 60) == .timedOut {
            stop.set()
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)   // releases a blocked open
            XCTFail("reading a path swapped for a FIFO blocked")
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 10)
        }
        let counts = results.counts
        XCTAssertEqual(Set(counts.keys).subtracting(["read", "refused"]), [], "\(counts)")
        XCTAssertEqual(counts.values.reduce(0, +), 500)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var byOutcome: [String: Int] = [:]
    func add(_ outcome: String) { lock.lock(); byOutcome[outcome, default: 0] += 1; lock.unlock() }
    var counts: [String: Int] { lock.lock(); defer { lock.unlock() }; return byOutcome }
}
