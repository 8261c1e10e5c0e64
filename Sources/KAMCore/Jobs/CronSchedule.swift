import Foundation

/// A schedule in the five-field cron syntax (`minute hour day-of-month month day-of-week`), read in a time zone:
/// `0 8 * * *` is 08:00 every day, `*/15 * * * *` every quarter hour, `0 9 * * 1` Mondays at 09:00.
///
/// Each field is `*`, a number, a range `a-b`, a list `a,b,c`, or a step `*/n` / `a-b/n`; months and weekdays
/// may be named (`jan`, `mon`), and weekday 7 is Sunday like 0. As in cron, when both the day of the month and
/// the day of the week are restricted, a day matching either runs.
///
/// Daylight saving time: the schedule names wall-clock times in its zone. A time a spring change skips
/// (02:30 on the night clocks jump from 02:00 to 03:00) does not exist, so that day has no such slot; a time an
/// autumn change repeats (02:30 twice when 03:00 falls back to 02:00) is one slot, its first occurrence.
/// Hand-written: no cron package is among the
/// machine's Swift packages, and the syntax is small.
///
/// ```swift
/// let daily = try CronSchedule("0 8 * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
/// daily.slot(atOrBefore: now)   // today's 08:00 Berlin time, or yesterday's before 08:00
/// ```
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    public let expression: String
    public private(set) var timeZone: TimeZone
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday.
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    /// - Throws: `CronScheduleError` naming the field and what it accepts.
    public init(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws(CronScheduleError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map { String($0).lowercased() }
        guard fields.count == 5 else {
            throw CronScheduleError(
                expression: expression,
                message: "needs 5 fields (minute hour day-of-month month day-of-week), got \(fields.count); e.g. '0 8 * * *'")
        }
        self.expression = expression
        self.timeZone = timeZone
        minutes = try Self.field(fields[0], "minute", 0...59, names: [:], in: expression)
        hours = try Self.field(fields[1], "hour", 0...23, names: [:], in: expression)
        days = try Self.field(fields[2], "day of month", 1...31, names: [:], in: expression)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, in: expression)
        let weekdays = try Self.field(fields[4], "day of week", 0...7, names: Self.weekdayNames, in: expression)
        self.weekdays = Set(weekdays.map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    public var description: String { "\(expression) (\(timeZone.identifier))" }

    /// The same schedule read in `zone`.
    public func reading(in zone: TimeZone) -> CronSchedule {
        var schedule = self
        schedule.timeZone = zone
        return schedule
    }

    /// The latest time at or before `date` the schedule names (to the minute), or nil if none in the past 366 days.
    public func slot(atOrBefore date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Whole minutes: a slot is a minute, and `date` inside it belongs to it.
        var minute = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let limit = minute.addingTimeInterval(-366 * 86_400)
        while minute >= limit {
            let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: minute)
            guard let month = parts.month, months.contains(month) else {
                minute = calendar.startOfMonth(of: minute).addingTimeInterval(-60)
                continue
            }
            guard let day = parts.day, let weekday = parts.weekday, matchesDay(day, weekday: weekday - 1) else {
                minute = calendar.startOfDay(for: minute).addingTimeInterval(-60)
                continue
            }
            guard let hour = parts.hour, hours.contains(hour) else {
                minute = calendar.dateInterval(of: .hour, for: minute)!.start.addingTimeInterval(-60)
                continue
            }
            if let value = parts.minute, minutes.contains(value), !repeatsEarlierWallTime(minute) { return minute }
            minute = minute.addingTimeInterval(-60)
        }
        return nil
    }

    /// The first time after `date` the schedule names, or nil if none in the next 366 days.
    public func slot(after date: Date) -> Date? {
        // Walk forward a day at a time, asking for the latest slot at or before each day's end.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var dayEnd = calendar.startOfDay(for: date)
        for _ in 0...367 {
            dayEnd = calendar.date(byAdding: .day, value: 1, to: dayEnd)!
            guard let latest = slot(atOrBefore: dayEnd.addingTimeInterval(-1)), latest > date else { continue }
            // The first slot after `date` within this day: step back while an earlier one is still after `date`.
            var first = latest
            while let earlier = slot(atOrBefore: first.addingTimeInterval(-60)), earlier > date { first = earlier }
            return first
        }
        return nil
    }

    /// Whether `instant` shows a wall-clock time its zone already showed shortly before: the second pass
    /// through the hour an autumn change repeats.
    private func repeatsEarlierWallTime(_ instant: Date) -> Bool {
        // The latest offset change at or before `instant` within a day; a fall back of `shift` seconds repeats the
        // wall times of [change, change + shift).
        guard let change = timeZone.nextDaylightSavingTimeTransition(after: instant.addingTimeInterval(-86_400)),
            change <= instant
        else { return false }
        let shift = timeZone.secondsFromGMT(for: change.addingTimeInterval(-1)) - timeZone.secondsFromGMT(for: change)
        return shift > 0 && instant < change.addingTimeInterval(TimeInterval(shift))
    }

    private func matchesDay(_ day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11,
        "dec": 12,
    ]
    static let weekdayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func field(
        _ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String: Int], in expression: String
    ) throws(CronScheduleError) -> Set<Int> {
        func fail() -> CronScheduleError {
            CronScheduleError(
                expression: expression,
                message: "the \(name) field '\(text)' is not *, a number \(range.lowerBound)-\(range.upperBound), a range a-b, "
                    + "a list a,b or a step */n" + (names.isEmpty ? "" : " (names like \(names.keys.sorted().prefix(2).joined(separator: ", ")) work too)"))
        }
        func value(_ part: Substring) throws(CronScheduleError) -> Int {
            guard let number = Int(part) ?? names[String(part)], range.contains(number) else { throw fail() }
            return number
        }
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard stepParts.count <= 2 else { throw fail() }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed > 0 else { throw fail() }
                step = parsed
            }
            let span: ClosedRange<Int>
            if stepParts[0] == "*" {
                span = range
            } else {
                let bounds = stepParts[0].split(separator: "-", omittingEmptySubsequences: false)
                switch bounds.count {
                case 1:
                    let single = try value(bounds[0])
                    span = single...(stepParts.count == 2 ? range.upperBound : single)
                case 2:
                    let low = try value(bounds[0])
                    let high = try value(bounds[1])
                    guard low <= high else { throw fail() }
                    span = low...high
                default: throw fail()
                }
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }
}

extension Calendar {
    fileprivate func startOfMonth(of date: Date) -> Date {
        self.date(from: dateComponents([.year, .month], from: date))!
    }
}
