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

    func testHostileCorpus() throws {
        let made = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                  ["python3", Paths.repoRoot.appendingPathComponent("Tests/hostile/make-corpus.py").path, workDir.path])
        guard made.exitCode == 0 else { throw TestFailure("making the corpus failed: \(made.summary)") }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: workDir.appendingPathComponent("cases.json")))
        XCTAssertGreaterThan(cases.count, 100)
        let before = try folderSnapshot()
        var failures: [String] = []
        for c in cases {
            let started = Date()
            let r = try reel(c.args, timeout: Self.timeBound)
            let seconds = Date().timeIntervalSince(started)
            var problems: [String] = []
            if r.timedOut { problems.append("did not finish within \(Self.timeBound) s") }
            if r.exitCode != c.exit { problems.append("exit \(r.exitCode), expected \(c.exit)") }
            let outputPath = c.output.isEmpty ? nil : workDir.appendingPathComponent(c.output).path
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
            let after = try folderSnapshot()
            let changed = before.filter { after[$0.key] != $0.value }.map(\.key).sorted()
            let added = after.keys.filter { before[$0] == nil }.sorted()
            if !changed.isEmpty { problems.append("inputs changed or removed: \(changed)") }
            if !added.isEmpty {
                problems.append("files left behind: \(added)")
                for name in added { try? FileManager.default.removeItem(at: workDir.appendingPathComponent(name)) }
            }
            if !problems.isEmpty {
                failures.append("\(c.name) (`reel \(c.args.joined(separator: " "))`, \(String(format: "%.1f", seconds)) s): "
                                + problems.joined(separator: "; "))
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) hostile cases failed:\n" + failures.joined(separator: "\n"))
        print("hostile corpus: \(cases.count) cases, \(failures.count) failed")
    }
}

extension ReelTestCase {
    /// Every entry of the work folder (links not followed) → a hash of its kind and bytes.
    func folderSnapshot() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: workDir.path) {
            let path = workDir.appendingPathComponent(name).path
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            var h = Hasher()
            h.combine(UInt32(st.st_mode & S_IFMT))
            if (st.st_mode & S_IFMT) == S_IFREG { h.combine(try Data(contentsOf: URL(fileURLWithPath: path))) }
            result[name] = h.finalize()
        }
        return result
    }
}
