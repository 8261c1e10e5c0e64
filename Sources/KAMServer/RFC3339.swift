import Foundation

/// The two spellings of a moment the API takes, exactly as JSON Schema's `date` and `date-time` formats define
/// them (RFC 3339 `full-date` and `date-time`), so what the OpenAPI document allows and what a route accepts agree.
///
/// For example:
/// ```swift
/// RFC3339.date("2026-03-01")                  // midnight UTC
/// RFC3339.date("2026-03-01T09:30:00.5+02:00") // 07:30:00.5 UTC
/// RFC3339.date("2026-02-30")                  // nil: February has no 30th
/// ```
enum RFC3339 {
    /// `text` as a day (midnight UTC) or a time with its offset; nil when it is neither or names no real moment
    /// (month 13, April 31st, hour 24, a leap second).
    static func date(_ text: String) -> Date? {
        if let day = text.wholeMatch(of: #/([0-9]{4})-([0-9]{2})-([0-9]{2})/#) {
            return moment(year: day.1, month: day.2, day: day.3)
        }
        let pattern = #/([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):([0-9]{2}))/#
        guard let time = text.wholeMatch(of: pattern)?.output,
            let midnight = moment(year: time.1, month: time.2, day: time.3),
            let hour = Int(time.4), let minute = Int(time.5), let second = Int(time.6),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var offset = 0
        if let sign = time.9, let hours = time.10.flatMap({ Int($0) }), let minutes = time.11.flatMap({ Int($0) }) {
            guard hours < 24, minutes < 60 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let fraction = time.7.flatMap { Double("0" + $0) } ?? 0
        return midnight.addingTimeInterval(Double(hour * 3600 + minute * 60 + second - offset) + fraction)
    }

    /// Midnight UTC of a real calendar day (leap years counted), or nil.
    private static func moment(year: Substring, month: Substring, day: Substring) -> Date? {
        guard let year = Int(year), let month = Int(month), let day = Int(day), (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }
}
