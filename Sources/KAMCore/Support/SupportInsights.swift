import Foundation

/// A client's support picture at one moment: volume, sentiment trend and top topics over its tickets,
/// as the support insights show it and the health score's support factor reads it.
public struct SupportInsights: Codable, Sendable, Hashable {
    /// Tickets opened in the last 30 days and in the 30 before.
    public var last30Days: Int
    public var previous30Days: Int
    public var open: Int
    /// Open tickets of high or urgent priority (as set, or as the analysis read the urgency).
    public var openUrgent: Int
    /// Analysed tickets of the last 30 days whose sentiment is negative.
    public var negativeLast30Days: Int
    /// Of those, the ones an email opened (whose message is an inbound activity too).
    public var negativeByEmailLast30Days: Int
    /// Mean sentiment of the analysed tickets of each window; nil without one.
    public var sentimentLast30Days: Double?
    public var sentimentPrevious30Days: Double?
    /// Topics of the last 90 days' tickets, most frequent first (ties by name).
    public var topTopics: [TopicCount]

    public struct TopicCount: Codable, Sendable, Hashable {
        public var topic: String
        public var tickets: Int
    }

    /// The change in mean sentiment between the two windows; nil unless both have one.
    public var sentimentTrend: Double? {
        guard let recent = sentimentLast30Days, let before = sentimentPrevious30Days else { return nil }
        return recent - before
    }

    public init(tickets: [SupportTicket], at now: Date, topTopics limit: Int = 5) {
        func age(_ ticket: SupportTicket) -> Double { now.timeIntervalSince(ticket.createdAt) / 86_400 }
        let recent = tickets.filter { (0...30).contains(age($0)) }
        let before = tickets.filter { age($0) > 30 && age($0) <= 60 }
        func mean(_ group: [SupportTicket]) -> Double? {
            let scores = group.compactMap { $0.analysis?.sentiment }
            return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
        }
        last30Days = recent.count
        previous30Days = before.count
        let open = tickets.filter(\.isOpen)
        self.open = open.count
        openUrgent = open.filter { $0.priority >= .high || [.high, .critical].contains($0.analysis?.urgency) }.count
        let negative = recent.filter { $0.analysis?.isNegative == true }
        negativeLast30Days = negative.count
        negativeByEmailLast30Days = negative.filter { $0.channel == .email }.count
        sentimentLast30Days = mean(recent)
        sentimentPrevious30Days = mean(before)
        var counts: [String: Int] = [:]
        for ticket in tickets where age(ticket) <= 90 {
            for topic in ticket.analysis?.topics ?? [] { counts[topic, default: 0] += 1 }
        }
        topTopics = counts.map { TopicCount(topic: $0.key, tickets: $0.value) }
            .sorted { ($0.tickets, $1.topic) > ($1.tickets, $0.topic) }
            .prefix(limit).map { $0 }
    }
}
