import Foundation

/// What a person's dismissals teach their suggestion list, and when repeated "already done" dismissals say the CRM is
/// out of date. Pure: the store hands it the dismissals, the clock hands it `now`.
///
/// A dismissal of kind `k`, `d` days old, takes `k.penalty × 0.5^(d / k.halfLifeDays)` priority points from each open
/// suggestion of the same origin (rules-engine rule, else type) for the same client, in the list of the person who
/// dismissed it; the points of several dismissals add up to at most `maxPenalty`, and a priority never falls below 0.
/// Nobody else's list changes, and other clients' suggestions of that rule do not.
///
/// For example, "not relevant" (30 points, half-life 30 days) on acme's follow-up: the next follow-up for acme shows
/// 70 → 40 that day, 70 → 55 a month later, 70 → 69 after five months.
public struct DismissalLearning: Sendable {
    /// The most points dismissals take from one suggestion.
    public static let maxPenalty = 80.0
    /// How far back dismissals count: after 400 days even "wrong client" (40 points, half-life 60 days) is under half a
    /// point.
    public static let memoryDays = 400
    /// "Already done" this many times on one origin within `dataQualityDays` raises a data-quality notice.
    public static let dataQualityCount = 3
    public static let dataQualityDays = 30
    /// The rule name data-quality notifications carry.
    public static let dataQualityRule = "data-quality"

    /// The acting person's dismissals (any order).
    public let dismissals: [Dismissal]
    public let now: Date
    private let byKey: [String: [Dismissal]]

    public init(dismissals: [Dismissal], now: Date) {
        self.dismissals = dismissals
        self.now = now
        byKey = Dictionary(grouping: dismissals) { Self.key(clientID: $0.clientID, origin: $0.origin) }
    }

    static func key(clientID: String, origin: String) -> String { clientID + "\u{1F}" + origin }

    /// The clients and types whose open suggestions may change: where a store must look beyond a priority-ordered
    /// page. A rules-engine rule's dismissal names no type (the rule may propose several).
    public var affected: Set<ClientAndType> {
        Set(dismissals.filter { points($0) >= 0.5 }.map { ClientAndType(clientID: $0.clientID, type: $0.rule == nil ? $0.type : nil) })
    }

    /// `suggestion` with its priority lowered by the dismissals that apply and `priorityChange` saying why; unchanged
    /// (and `priorityChange` nil) when none does.
    public func adjusted(_ suggestion: Suggestion) -> Suggestion {
        guard let matching = byKey[Self.key(clientID: suggestion.clientID, origin: suggestion.origin)] else { return suggestion }
        let weighed = matching.map { ($0, points($0)) }.filter { $0.1 >= 0.5 }.sorted { $0.1 > $1.1 }
        guard !weighed.isEmpty else { return suggestion }
        let total = min(Self.maxPenalty, weighed.reduce(0) { $0 + $1.1 })
        var s = suggestion
        let base = s.priorityChange?.base ?? s.priority
        s.priority = max(0, base - Int(total.rounded()))
        s.priorityChange = PriorityChange(
            base: base, change: s.priority - base,
            reasons: weighed.map { d, p in
                "-\(Int(p.rounded())): dismissed as \(d.reason.label) \(Self.age(d.at, now: now)) (\(d.suggestionID))"
            })
        return s
    }

    /// Every suggestion adjusted, highest adjusted priority first (then oldest, then by id, as the store orders them).
    public func ranked(_ suggestions: [Suggestion]) -> [Suggestion] {
        suggestions.map(adjusted).sorted {
            ($0.priority, $1.createdAt, $1.id) > ($1.priority, $0.createdAt, $0.id)
        }
    }

    /// The points `d` takes today.
    func points(_ d: Dismissal) -> Double {
        let days = max(0, now.timeIntervalSince(d.at) / 86_400)
        return d.reason.penalty * pow(0.5, days / d.reason.halfLifeDays)
    }

    static func age(_ date: Date, now: Date) -> String {
        let days = Int(max(0, now.timeIntervalSince(date)) / 86_400)
        return switch days {
        case 0: "today"
        case 1: "yesterday"
        default: "\(days) days ago"
        }
    }

    /// A data-quality notice when `latest` is an "already done" that makes `dataQualityCount` of them on its origin
    /// within `dataQualityDays` (`recent`: every "already done" on that origin in that window, by anyone, `latest`
    /// included): the rule keeps proposing work the team has done, so the store is missing what they did.
    public static func dataQuality(after latest: Dismissal, recent: [Dismissal]) -> (title: String, body: String)? {
        guard latest.reason == .alreadyDone else { return nil }
        let window = latest.at.addingTimeInterval(-Double(dataQualityDays) * 86_400)
        let same = recent.filter { $0.reason == .alreadyDone && $0.origin == latest.origin && $0.at > window && $0.at <= latest.at }
        guard same.count >= dataQualityCount else { return nil }
        let clients = Array(Set(same.map(\.clientID))).sorted()
        return (
            // The title names only the origin: it is what keeps one notice a origin a window (`NotificationRepository.exists`).
            "Data quality: \(latest.origin) keeps proposing work already done",
            "\(same.count) suggestions from \(latest.origin) were dismissed as already done since "
                + "\(UTCTimestamp.day(window)) (clients: \(clients.joined(separator: ", "))). The work was done but the CRM "
                + "does not show it: log the activities, tasks or deal moves (kam log, kam task done, kam deal move) so the "
                + "rules stop proposing them."
        )
    }
}

/// A client and a suggestion type (nil: any): where dismissals may have changed priorities.
public struct ClientAndType: Sendable, Hashable {
    public var clientID: String
    public var type: SuggestionType?

    public init(clientID: String, type: SuggestionType?) {
        self.clientID = clientID
        self.type = type
    }
}
