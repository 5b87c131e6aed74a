import XCTest
@testable import ReelKit

/// The text grammar of `reel sheet`: --at times in, timestamps out.
final class ContactSheetTests: XCTestCase {
    func testParsesSecondsAndMinutesSeconds() throws {
        XCTAssertEqual(try ContactSheet.parseTimes("0,1.5,10"), [0, 1.5, 10])
        XCTAssertEqual(try ContactSheet.parseTimes("1:02.5, 90"), [62.5, 90])
        XCTAssertEqual(try ContactSheet.parseTimes("1:00:01"), [3601])
        for bad in ["", "1,,2", "x", "-1", "1:75", "1.5:10", "1:2:3:4", "nan", "inf"] {
            XCTAssertThrowsError(try ContactSheet.parseTimes(bad), bad) { error in
                XCTAssertTrue((error as? ContactSheet.Invalid)?.message.hasPrefix("--at ") ?? false, bad)
            }
        }
    }

    func testTimestampsAndEvenTimes() {
        XCTAssertEqual(ContactSheet.timestamp(1.5), "00:01.50")
        XCTAssertEqual(ContactSheet.timestamp(59.999), "01:00.00")
        XCTAssertEqual(ContactSheet.timestamp(3725.25), "1:02:05.25")
        XCTAssertEqual(ContactSheet.evenTimes(count: 4, duration: 8), [1, 3, 5, 7])
    }
}
