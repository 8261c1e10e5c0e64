import Foundation
import Testing

@testable import KAMCore

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test("days and date-times print as String(format:) does, for every kind of year")
    func datesPrintAsFormatted() {
        var seconds: [Double] = [0, -1, 86_399.9, 1_767_225_600, -62_135_596_800, -62_198_755_200, 253_402_300_799, 1e12]
        for step in 0..<2_000 { seconds.append(Double(step) * 9_876_543.21 - 8e9) }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let (year, month, day) = UTCTimestamp.civil(fromDays: Int((value / 86_400).rounded(.down)))
            let expectedDay = String(format: "%04d-%02d-%02d", year, month, day)
            #expect(UTCTimestamp.day(date) == expectedDay)
            let total = Int(value.rounded(.down))
            let rest = total - Int((Double(total) / 86_400).rounded(.down)) * 86_400
            #expect(UTCTimestamp.dateTime(date) == expectedDay + String(format: "T%02d:%02d:%02dZ", rest / 3600, rest % 3600 / 60, rest % 60))
        }
    }

    @Test("a whole second of the years 1600 to 9999 prints as formatted(.iso8601) does")
    func dateTimesPrintAsISO8601() {
        var seconds: [Double] = [0, -1, 59, 86_399, 951_782_400, 1_767_225_600, -11_676_096_000, 253_402_300_799]
        for step in 0..<2_000 { seconds.append((Double(step) * 132_539_101.3 - 11_676_096_000).rounded(.down)) }
        for value in seconds where value <= 253_402_300_799 {
            let date = Date(timeIntervalSince1970: value)
            #expect(UTCTimestamp.dateTime(date) == date.formatted(.iso8601), "\(value)")
        }
    }
}
