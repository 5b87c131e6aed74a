import XCTest
import ReelFuzzTargets

/// Every input a fuzzer ever crashed on (Tests/Fuzz/crashes/TARGET/) and every seed goes
/// through its fuzz target again: a regression is a crash of this process or a hang past the
/// time bound. The tests beside the fixes assert what each input must now produce.
final class FuzzRegressionTests: XCTestCase {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    func inputs(_ kind: String, _ target: FuzzTarget) throws -> [URL] {
        let dir = Self.fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: dir.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }

    func replay(_ target: FuzzTarget) throws {
        let files = try inputs("crashes", target) + inputs("seeds", target)
        for file in files {
            let start = Date()
            target.run(try Data(contentsOf: file))
            XCTAssertLessThan(Date().timeIntervalSince(start), 10, "\(target.rawValue): \(file.lastPathComponent) took too long")
        }
    }

    func testSubtitleInputs() throws {
        XCTAssertFalse(try inputs("seeds", .subtitles).isEmpty)
        try replay(.subtitles)
    }

    func testPlanInputs() throws {
        XCTAssertFalse(try inputs("seeds", .plan).isEmpty)
        try replay(.plan)
    }

    func testMediaInputs() throws {
        // Seeds of this target are the media fixtures (large); the broken ones stand in here.
        let bad = Self.fuzzDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/bad")
        let files = try FileManager.default.contentsOfDirectory(at: bad, includingPropertiesForKeys: nil)
        XCTAssertFalse(files.isEmpty)
        for file in files { FuzzTarget.media.run(try Data(contentsOf: file)) }
        try replay(.media)
    }
}
