import Foundation

/// Strict checks of calendar days, for readers of dates written by people.
///
/// `DateComponents` is lenient: `2026-02-30` becomes March 2 and `2026-1-5` is read, so a typo in a
/// file silently moves a date. These checks refuse both and say why; the month's length comes from
/// Foundation's Gregorian calendar rather than a hand-written table.
enum CalendarDay {
    /// The Gregorian calendar in UTC, with English month names for messages.
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }

    /// Why `year`-`month`-`day` is not a real day (`February 2026 has 28 days`), or nil when it is one.
    static func problem(year: Int, month: Int, day: Int) -> String? {
        guard (1...12).contains(month) else { return "there is no month \(month); months are 01 to 12" }
        let calendar = utc
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return "there is no such day" }
        guard days.contains(day) else { return "\(calendar.monthSymbols[month - 1]) \(year) has \(days.count) days" }
        return nil
    }

    /// Why `text` is not a day written `YYYY-MM-DD`, or nil when it is one.
    static func problem(_ text: some StringProtocol) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            return "write a day as YYYY-MM-DD, with a four-digit year and two-digit month and day (2026-01-05)"
        }
        return problem(year: year, month: month, day: day)
    }

    /// The day `text` (`YYYY-MM-DD`) names, at midnight UTC; nil unless it is that form and a real day.
    static func date(_ text: some StringProtocol) -> Date? {
        guard problem(text) == nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
