import XCTest
@testable import ReelKit
import ReelMedia

/// Plan bounds checked before the YAML library builds anything: size, alias count, alias
/// expansion and bracket depth, each with a clear error; ordinary anchors still work.
final class PlanLimitsTests: XCTestCase {
    /// Nine levels of nine aliases each: 9^9 (387 million) copies of `x` once expanded.
    static func aliasBomb(asKey: Bool) -> String {
        var lines = ["source: rec.mp4", "l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...8 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("l\(level): &l\(level) [\(refs)]")
        }
        lines.append(asKey ? "? *l8\n: 1" : "bomb: *l8")
        return lines.joined(separator: "\n") + "\n"
    }

    func decodeError(_ text: String, limits: PlanLimits = PlanLimits(), path: String = "/p/plan.yaml") -> String? {
        do { _ = try Plan.decode(Data(text.utf8), path: path, limits: limits); return nil } catch { return "\(error)" }
    }

    func testAliasBombAsKeyIsRefusedAtOnce() throws {
        // Before the bound, the YAML library's duplicate-key check hashed the expanded key
        // for hours. The same text as a value, and with the count bound raised, is refused too.
        for asKey in [true, false] {
            let start = Date()
            let error = try XCTUnwrap(decodeError(Self.aliasBomb(asKey: asKey)))
            XCTAssertTrue(error.contains("73 aliases"), error)
            XCTAssertTrue(error.contains("--limit plan-aliases=N"), error)
            let raised = try XCTUnwrap(decodeError(Self.aliasBomb(asKey: asKey), limits: PlanLimits(maximumAliases: 1000)))
            XCTAssertTrue(raised.contains("expand it past 16777216 bytes"), raised)
            XCTAssertLessThan(Date().timeIntervalSince(start), 2, "refused before decoding")
        }
    }

    func testOrdinaryAnchorsDecode() throws {
        let plan = try Plan.decode(Data("""
        source: rec.mp4
        stickers:
          - &s {text: A, x: 0.1, y: 0.1, size: 0.1}
          - *s
        edit: [&e {from: 0, to: 10}, *e]
        """.utf8), path: "/p/plan.yaml")
        var o = RenderOptions(input: "", output: "")
        try plan.apply(to: &o, directory: "/p")
        XCTAssertEqual(o.stickers.count, 2)
        XCTAssertEqual(o.edit?.count, 2)
    }

    func testAliasCountBoundAndOverride() throws {
        let text = "source: rec.mp4\ntitle: &t hello\ntitle_en: *t\n"
        XCTAssertNil(decodeError(text))
        let error = try XCTUnwrap(decodeError(text, limits: PlanLimits(maximumAliases: 0)))
        XCTAssertTrue(error.contains("plan.yaml: plan has 1 aliases (*name), over the limit of 0"), error)
    }

    func testSizeBoundAndOverride() throws {
        let text = "source: rec.mp4\n# " + String(repeating: "padding ", count: 200) + "\n"
        let error = try XCTUnwrap(decodeError(text, limits: PlanLimits(maximumBytes: 1000)))
        XCTAssertTrue(error.contains("over the limit of 1000 (--limit plan-bytes=N raises it)"), error)
        XCTAssertNil(decodeError(text, limits: PlanLimits(maximumBytes: 2000)))
        // Through a file: refused from its size, before it is read.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reel-plan-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try Plan.read(path: url.path, limits: PlanLimits(maximumBytes: 1000))) {
            XCTAssertEqual(($0 as? MediaError)?.kind, .invalidInput)
        }
    }

    func testDeepBracketsAreRefused() throws {
        let deep = "source: rec.mp4\nedit: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let error = try XCTUnwrap(decodeError(deep))
        XCTAssertTrue(error.contains("nests brackets more than 64 levels"), error)
        let json = "{\"source\": \"rec.mp4\", \"edit\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        XCTAssertNotNil(decodeError(json, path: "/p/plan.json"))
    }

    /// The scan never counts fewer aliases than YAML would see, whatever the quoting.
    func testScanOverCountsInsideStrings() {
        let scan = PlanAliasScan(Data("a: '*x &y' # *z\nb: \"*w\"\n".utf8), budget: 1 << 20)
        XCTAssertEqual(scan.aliases, 3)
    }
}
