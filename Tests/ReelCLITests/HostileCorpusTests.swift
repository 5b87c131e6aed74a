// The hostile corpus (Tests/hostile/make-corpus.py): every case must end with one
// `reel: <file>: <cause>` line naming the cause, the documented exit code, no output, no
// temporary file, every file in the corpus unchanged, within a time bound.

import Foundation
import XCTest

final class HostileCorpusTests: ReelTestCase {
    struct Case: Decodable {
        let name: String
        let args: [String]
        let exit: Int32
        let message: String
        let output: String
    }

    /// Seconds any one case may take (the slowest take ~8 s in a debug build on a loaded machine).
    static let timeBound: TimeInterval = 45

    /// Cases run by this many workers at once, each in its own copy of the corpus (so one
    /// case's output or leftover is never blamed on another): most cases are a reel start-up
    /// and a refusal on one core, and CI has two.
    static let workers = 2

    func testHostileCorpus() throws {
        let master = workDir.appendingPathComponent("corpus-0")
        let made = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                  ["python3", Paths.repoRoot.appendingPathComponent("Tests/hostile/make-corpus.py").path, master.path])
        guard made.exitCode == 0 else { throw TestFailure("making the corpus failed: \(made.summary)") }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: master.appendingPathComponent("cases.json")))
        XCTAssertGreaterThan(cases.count, 100)
        let folders = [master] + (1..<Self.workers).map { workDir.appendingPathComponent("corpus-\($0)") }
        for copy in folders.dropFirst() {
            // cp -a keeps the FIFO, the symlinks (loops included) and the odd names as they are.
            let r = try runProcess(URL(fileURLWithPath: "/bin/cp"), ["-a", master.path, copy.path])
            guard r.exitCode == 0 else { throw TestFailure("copying the corpus failed: \(r.summary)") }
        }
        let before = try folders.map { try snapshotOfFolder($0) }
        XCTAssertEqual(Set(before.map { $0.keys.sorted() }).count, 1, "every worker's copy holds the same files")
        let reel = Paths.reel
        let failures = FailureList()
        DispatchQueue.concurrentPerform(iterations: folders.count) { w in
            // Worker w takes every workers-th case, in order, in its own folder.
            for c in stride(from: w, to: cases.count, by: folders.count).map({ cases[$0] }) {
                do {
                    if let failure = try Self.run(c, reel: reel, in: folders[w], before: before[w]) { failures.append(failure) }
                } catch {
                    failures.append("\(c.name): \(error)")
                }
            }
        }
        let all = failures.sorted
        XCTAssert(all.isEmpty, "\(all.count) of \(cases.count) hostile cases failed:\n" + all.joined(separator: "\n"))
        print("hostile corpus: \(cases.count) cases, \(all.count) failed")
    }

    /// Runs one case in `folder` (whose files were `before`) and says what went wrong, if
    /// anything; puts the folder back as it was for the next case.
    static func run(_ c: Case, reel: URL, in folder: URL, before: [String: Int]) throws -> String? {
        let started = Date()
        let r = try runProcess(reel, c.args, currentDirectory: folder, timeout: timeBound)
        let seconds = Date().timeIntervalSince(started)
        var problems: [String] = []
        if r.timedOut { problems.append("did not finish within \(timeBound) s") }
        if r.exitCode != c.exit { problems.append("exit \(r.exitCode), expected \(c.exit)") }
        let outputPath = c.output.isEmpty ? nil : folder.appendingPathComponent(c.output).path
        if c.exit == 0 {
            if let outputPath, !FileManager.default.fileExists(atPath: outputPath) { problems.append("no output") }
            if let outputPath { try? FileManager.default.removeItem(atPath: outputPath) }
        } else {
            let lines = r.stderrString.split(separator: "\n")
            // (An empty `message` accepts any cause: String.contains("") is false.)
            if lines.count != 1 || !lines[0].hasPrefix("reel: ") || !(c.message.isEmpty || lines[0].contains(c.message)) {
                problems.append("stderr should be one `reel:` line containing '\(c.message)', was: \(r.stderrString.prefix(600))")
            }
            if let outputPath, before[c.output] == nil, FileManager.default.fileExists(atPath: outputPath) {
                problems.append("left an output at \(c.output)")
                try? FileManager.default.removeItem(atPath: outputPath)
            }
        }
        let after = try snapshotOfFolder(folder)
        let changed = before.filter { after[$0.key] != $0.value }.map(\.key).sorted()
        let added = after.keys.filter { before[$0] == nil }.sorted()
        if !changed.isEmpty { problems.append("inputs changed or removed: \(changed)") }
        if !added.isEmpty {
            problems.append("files left behind: \(added)")
            for name in added { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
        guard !problems.isEmpty else { return nil }
        return "\(c.name) (`reel \(c.args.joined(separator: " "))`, \(String(format: "%.1f", seconds)) s): "
            + problems.joined(separator: "; ")
    }
}

/// The workers' findings, appended from several threads.
/// @unchecked Sendable: `items` is only touched while holding `lock`.
private final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.lock(); items.append(item); lock.unlock() }
    var sorted: [String] { lock.lock(); defer { lock.unlock() }; return items.sorted() }
}

extension ReelTestCase {
    /// Every entry of the work folder (links not followed) → a hash of its kind and bytes.
    func folderSnapshot() throws -> [String: Int] { try snapshotOfFolder(workDir) }
}

/// Every entry of `folder` (links not followed) → a hash of its kind and bytes.
func snapshotOfFolder(_ folder: URL) throws -> [String: Int] {
    var result: [String: Int] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
        let path = folder.appendingPathComponent(name).path
        var st = stat()
        guard lstat(path, &st) == 0 else { continue }
        var h = Hasher()
        h.combine(UInt32(st.st_mode & S_IFMT))
        if (st.st_mode & S_IFMT) == S_IFREG { h.combine(try Data(contentsOf: URL(fileURLWithPath: path))) }
        result[name] = h.finalize()
    }
    return result
}
