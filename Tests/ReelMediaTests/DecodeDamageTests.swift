import XCTest
import ReelMedia

/// Damage is counted by incident: the failures that follow one lost packet up to the next
/// keyframe are one; a failing keyframe or a failure after a decoded packet starts another.
final class DecodeDamageTests: XCTestCase {
    struct Broken: Error {}

    func testFailuresUntilTheNextKeyframeAreOneIncident() throws {
        var damage = DecodeDamage()
        for _ in 0..<500 { try damage.failed(keyframe: false, Broken()) }
        XCTAssertEqual(damage.incidents, 1)
        try damage.failed(keyframe: true, Broken())   // the keyframe fails too: a second one
        XCTAssertEqual(damage.incidents, 2)
        damage.decoded()
        try damage.failed(keyframe: false, Broken())
        XCTAssertEqual(damage.incidents, 3)
    }

    func testTooManyIncidentsThrowTheDecodersError() {
        var damage = DecodeDamage()
        var thrown: Error?
        for _ in 0...DecodeDamage.limit {
            do { try damage.failed(keyframe: false, Broken()); damage.decoded() } catch { thrown = error; break }
        }
        XCTAssertTrue(thrown is Broken, "the \(DecodeDamage.limit + 1)th incident throws")
        XCTAssertEqual(damage.incidents, DecodeDamage.limit + 1)
    }
}
