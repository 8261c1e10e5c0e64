import Foundation
import Testing

@testable import KAMCore

@Suite("Support tickets: topics, insights, the health score's support factor")
struct SupportTicketTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func ticket(
        daysAgo: Double, status: TicketStatus = .open, priority: TicketPriority = .normal, sentiment: Double? = nil,
        topics: [String] = [], channel: TicketChannel = .import
    ) -> SupportTicket {
        let at = now.addingTimeInterval(-daysAgo * 86_400)
        return SupportTicket(
            clientID: "acme", channel: channel, subject: "s", body: "b", status: status, priority: priority, createdAt: at,
            analysis: sentiment.map {
                TicketAnalysis(sentiment: $0, urgency: .low, intent: .question, topics: topics, analysedAt: at, prompt: "p@1")
            })
    }

    @Test("topics are named by whole words and phrases, in the vocabulary's order; none is `other`", arguments: [
        ("We were overcharged on the invoice", ["billing"]),
        ("An apricot basket", ["other"]),
        ("Our pricing page and the API both failed", ["billing", "defect", "integration"]),
        ("How do I log in with SSO?", ["access", "how-to"]),
        ("The dashboard is SLOW since the update", ["performance", "data"]),
        ("", ["other"]),
    ])
    func topics(text: String, expected: [String]) {
        #expect(TicketTopics().topics(of: text) == expected)
    }

    @Test("help desk words map onto statuses and priorities; unknown words are refused")
    func helpDeskWords() {
        #expect(TicketStatus(helpDesk: "On-hold") == .hold)
        #expect(TicketStatus(helpDesk: " Resolved ") == .solved)
        #expect(TicketStatus(helpDesk: "archived") == nil)
        #expect(TicketPriority(helpDesk: "Critical") == .urgent)
        #expect(TicketPriority(helpDesk: "medium") == .normal)
        #expect(TicketPriority(helpDesk: "p1") == nil)
        #expect(TicketStatus.allCases.filter(\.isOpen) == [.new, .open, .pending, .hold])
    }

    @Test("insights count each window, the urgent open ones, the sentiment trend and the top topics")
    func insights() {
        let tickets = [
            Self.ticket(daysAgo: 2, priority: .urgent, sentiment: -0.8, topics: ["billing"]),
            Self.ticket(daysAgo: 10, status: .solved, sentiment: -0.4, topics: ["billing", "data"]),
            Self.ticket(daysAgo: 20, status: .pending, sentiment: 0.2, topics: ["access"]),
            Self.ticket(daysAgo: 40, status: .closed, sentiment: 0.6, topics: ["data"]),
            Self.ticket(daysAgo: 50, status: .closed, topics: []),
            Self.ticket(daysAgo: 120, status: .closed, sentiment: -1, topics: ["billing"]),
        ]
        let insights = SupportInsights(tickets: tickets, at: Self.now)
        #expect(insights.last30Days == 3)
        #expect(insights.previous30Days == 2)
        #expect(insights.open == 2)
        #expect(insights.openUrgent == 1)
        #expect(insights.negativeLast30Days == 2)
        #expect(abs(insights.sentimentLast30Days! - (-1.0 / 3)) < 1e-9)
        #expect(insights.sentimentPrevious30Days == 0.6)
        #expect(abs(insights.sentimentTrend! - (-1.0 / 3 - 0.6)) < 1e-9)
        // The 120-day-old ticket is outside the topics' 90 days.
        #expect(insights.topTopics.map(\.topic) == ["billing", "data", "access"])
        #expect(insights.topTopics.map(\.tickets) == [2, 2, 1])
    }

    @Test("negative tickets and urgent open ones lower the support factor, and say so; an email's ticket counts once")
    func healthSupportFactor() {
        let client = Client(id: "acme", name: "Acme", createdAt: Self.now)
        func support(_ tickets: [SupportTicket]) -> HealthFactor {
            HealthScorer().score(ClientSnapshot(client: client, tickets: tickets), at: Self.now).factors
                .first { $0.name == "support" }!
        }
        #expect(support([]).score == 100)
        let calm = support([Self.ticket(daysAgo: 3, status: .solved, sentiment: 0.5)])
        #expect(calm.score == 100)
        let hurt = support([
            Self.ticket(daysAgo: 3, priority: .urgent, sentiment: -0.6),
            Self.ticket(daysAgo: 5, status: .solved, sentiment: -0.9),
        ])
        #expect(hurt.score == 100 - 2 * 25 - 10)
        #expect(hurt.explanation.contains("2 negative support tickets in 30 days"))
        #expect(hurt.explanation.contains("1 urgent tickets open"))
        // A ticket the email intake opened is counted through its message (an activity), not twice.
        let byEmail = support([Self.ticket(daysAgo: 3, status: .solved, sentiment: -0.9, channel: .email)])
        #expect(byEmail.score == 100)
    }

    @Test("support.addresses are read lowercased; an entry that is not an address is refused with its line")
    func supportConfiguration() throws {
        let configuration = try KAMConfiguration.parse("support:\n  addresses: [Support@OurCo.example]\n", file: "kam.yaml")
        #expect(configuration.support.addresses == ["support@ourco.example"])
        let error = try #require(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("support:\n  addresses: [helpdesk]\n", file: "kam.yaml")
        }
        #expect(error.issues.first?.line == 2)
        #expect("\(error)".contains("not an email address"))
    }
}
