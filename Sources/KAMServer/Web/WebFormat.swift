import Foundation
import KAMCore

/// How the web page writes dates, ages and shares: one way everywhere, in UTC (the server's dates are UTC).
enum WebFormat {
    /// `2026-12-04 09:30`.
    static func time(_ date: Date) -> String {
        let text = UTCTimestamp.dateTime(date)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }

    /// `2026-12-04`.
    static func day(_ date: Date) -> String {
        UTCTimestamp.day(date)
    }

    /// `today`, `yesterday`, `3 days ago`, `tomorrow`, `in 5 days`.
    static func age(_ date: Date, now: Date) -> String {
        let days = Int((now.timeIntervalSince(date) / 86_400).rounded(.down))
        switch days {
        case 0: return "today"
        case 1: return "yesterday"
        case 2...: return "\(days) days ago"
        case -1: return "tomorrow"
        default: return "in \(-days) days"
        }
    }

    /// `61 %` for 0.61.
    static func percent(_ share: Double) -> String {
        "\(Int((share * 100).rounded())) %"
    }

    /// The query of a list's next page: this request's own query with the next `cursor`, so it keeps every filter as
    /// given; nil on the last page.
    static func nextQuery(_ requestQuery: [URLQueryItem], cursor: String?) -> String? {
        guard let cursor else { return nil }
        var components = URLComponents()
        components.queryItems = requestQuery.filter { $0.name != "cursor" } + [URLQueryItem(name: "cursor", value: cursor)]
        return components.percentEncodedQuery
    }

    /// `61 %` for 0.61, `—` for a rate without a denominator (nothing delivered, nothing opened).
    static func rate(_ share: Double?) -> String {
        share.map(percent) ?? "—"
    }
}
