import Foundation

/// The ISO-8601 week a moment falls in, named `2026-W49`: how analytics group by week and where the weekly
/// export writes.
public enum ISOWeek {
    public static func name(of date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }
}
