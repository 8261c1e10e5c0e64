import Foundation

/// One UTC calendar day, the unit of the analytics snapshots (`2026-12-04`).
///
/// Days are UTC so that a snapshot means the same hours wherever it is read; their names sort as their dates do.
///
/// For example:
/// ```swift
/// let day = AnalyticsDay(containing: now)        // 2026-12-05
/// day.previous.name                              // "2026-12-04"
/// AnalyticsDay(name: "2026-02-30")               // nil: no such day
/// ```
public struct AnalyticsDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The day's first second, 00:00 UTC.
    public let start: Date

    private static let secondsPerDay: TimeInterval = 86_400

    /// The day that holds `date`.
    public init(containing date: Date) {
        start = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / Self.secondsPerDay).rounded(.down) * Self.secondsPerDay)
    }

    /// The day named `YYYY-MM-DD`; nil when the text is not one (a month without that day included).
    public init?(name: String) {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let count = Self.days(year: year, month: month, day: day)
        let date = Date(timeIntervalSince1970: Double(count) * Self.secondsPerDay)
        start = date
        // A day past the month's end (02-30) names another date: refused.
        guard components == (year, month, day) else { return nil }
    }

    static let utc = TimeZone(identifier: "UTC")!

    /// The first second of the next day: the end (excluded) of this one.
    public var end: Date { start.addingTimeInterval(Self.secondsPerDay) }

    /// The end (excluded) of the day's part up to `until`, that instant included: the next representable time after
    /// it, or the day's end when `until` is nil or later.
    public func end(until: Date?) -> Date {
        Date(timeIntervalSince1970: min(until.map { $0.timeIntervalSince1970.nextUp } ?? .infinity, end.timeIntervalSince1970))
    }
    public var previous: AnalyticsDay { AnalyticsDay(containing: start.addingTimeInterval(-Self.secondsPerDay / 2)) }
    public var next: AnalyticsDay { AnalyticsDay(containing: end.addingTimeInterval(Self.secondsPerDay / 2)) }

    /// The day `count` days after this one (before it when negative).
    public func adding(days count: Int) -> AnalyticsDay {
        AnalyticsDay(containing: start.addingTimeInterval(Double(count) * Self.secondsPerDay + Self.secondsPerDay / 2))
    }

    /// `YYYY-MM-DD`.
    public var name: String { UTCTimestamp.day(start) }

    /// `YYYY-MM`, the day's month.
    public var monthName: String {
        let parts = components
        return String(format: "%04d-%02d", parts.year, parts.month)
    }

    /// The ISO week that holds the day (`2026-W49`).
    public var weekName: String { ISOWeek.name(of: start, in: Self.utc) }

    public var description: String { name }

    /// The civil date of the day (no calendar object: a trend reads thousands).
    private var components: (year: Int, month: Int, day: Int) {
        UTCTimestamp.civil(fromDays: Int((start.timeIntervalSince1970 / Self.secondsPerDay).rounded(.down)))
    }

    /// Days from 1970-01-01 to a civil date, by Howard Hinnant's `days_from_civil`.
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func < (lhs: AnalyticsDay, rhs: AnalyticsDay) -> Bool { lhs.start < rhs.start }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = AnalyticsDay(name: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a day (YYYY-MM-DD)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
