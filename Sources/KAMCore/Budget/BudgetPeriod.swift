import Foundation

/// The time window a budget's amount covers: a calendar day, a calendar month, or all time.
public enum BudgetPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    case day, month, total

    /// The window containing `date`, in the given time zone (days and months start at local midnight).
    ///
    /// `total` is one window from the distant past to the distant future.
    public func window(containing date: Date, timeZone: TimeZone) -> DateInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch self {
        case .day:
            return calendar.dateInterval(of: .day, for: date) ?? DateInterval(start: date, duration: 86_400)
        case .month:
            return calendar.dateInterval(of: .month, for: date) ?? DateInterval(start: date, duration: 86_400 * 31)
        case .total:
            return DateInterval(start: .distantPast, end: .distantFuture)
        }
    }
}
