import XCTest
@testable import ReelKit

/// Temporaries of killed runs (`.NAME.reel-PID.EXT`) are swept by the next run in the folder,
/// whatever kind of output made them — a killed `reel plan` leaves a `.yaml` one.
final class StaleTemporaryTests: XCTestCase {
    func testEveryOutputKindIsRecognised() {
        for ext in ["mp4", "png", "framemd5", "yaml"] {
            XCTAssertEqual(OutputFile.stalePID(".out.\(ext).reel-4242.\(ext)"), 4242, ext)
        }
        XCTAssertNil(OutputFile.stalePID(".notes.txt.reel-4242.txt"), "only reel's own kinds")
        XCTAssertNil(OutputFile.stalePID("out.reel-x.mp4"))
    }

    func testDeadProcessesFilesAreRemovedLiveOnesKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stale-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A pid that cannot be alive: above the kernel's pid_max (4 194 304 at most).
        let dead = dir.appendingPathComponent(".plan.yaml.reel-9999999.yaml")
        let live = dir.appendingPathComponent(".plan.yaml.reel-\(getppid()).yaml")
        for url in [dead, live] { try Data("x".utf8).write(to: url) }
        OutputFile.removeStale(in: dir.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path))
    }
}
