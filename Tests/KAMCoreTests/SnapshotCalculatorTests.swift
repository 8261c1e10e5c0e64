import Foundation
import KAMCore
import Testing

@Suite struct SnapshotCalculatorTests {
    static let day = AnalyticsDay(name: "2026-12-04")!

    /// The figure of `metric`, `owner` and `dimension` in `rows`; nil when there is no row.
    static func value(_ rows: [SnapshotRow], _ metric: SnapshotMetric, _ owner: String, _ dimension: String = "") -> Double? {
        rows.first { $0.metric == metric.rawValue && $0.owner == owner && $0.dimension == dimension }?.value
    }

    @Test("every metric from hand-made facts: counted per owner and dimension, hand-computed")
    func everyMetric() {
        var facts = DailyFacts(day: Self.day)
        facts.health = [
            .init(ownerID: "leo", band: .good), .init(ownerID: "leo", band: .good), .init(ownerID: "leo", band: .critical),
            .init(ownerID: "sven", band: .good), .init(ownerID: nil, band: .atRisk),
        ]
        facts.deals = [
            .init(ownerID: "leo", stage: .proposal, amount: 1000), .init(ownerID: "leo", stage: .proposal, amount: 500),
            .init(ownerID: "leo", stage: .negotiation, amount: 2000),
            // Closed deals are not in the pipeline.
            .init(ownerID: "leo", stage: .closedWon, amount: 9999), .init(ownerID: "sven", stage: .closedLost, amount: 8888),
        ]
        facts.closings = [
            .init(ownerID: "leo", won: true, amount: 700, clientWonBefore: true),
            .init(ownerID: "leo", won: true, amount: 300, clientWonBefore: false),
            .init(ownerID: "leo", won: false, amount: 50, clientWonBefore: true),
            .init(ownerID: "sven", won: false, amount: 40, clientWonBefore: false),
        ]
        facts.churns = [.init(ownerID: "sven", revenue: 1200), .init(ownerID: "sven", revenue: 300)]
        let received = Self.day.start
        facts.responses = [
            .init(ownerID: "leo", receivedAt: received, answeredAt: received.addingTimeInterval(2 * 3600)),
            .init(ownerID: "leo", receivedAt: received, answeredAt: received.addingTimeInterval(5 * 3600)),
        ]
        facts.drafts = [.init(ownerID: "leo", accepted: true), .init(ownerID: "leo", accepted: true), .init(ownerID: "leo", accepted: false)]
        facts.suggestions = [.init(ownerID: "sven", accepted: true), .init(ownerID: "sven", accepted: false)]
        facts.calls = [.init(userID: "leo", cost: 0.25), .init(userID: "leo", cost: nil), .init(userID: nil, cost: 1.5)]
        facts.tickets = [.init(ownerID: "sven", priority: "high"), .init(ownerID: "sven", priority: "high"), .init(ownerID: nil, priority: "low")]

        let rows = SnapshotCalculator.rows(from: facts)
        #expect(rows.allSatisfy { $0.day == Self.day })
        #expect(Self.value(rows, .healthClients, "leo", "good") == 2)
        #expect(Self.value(rows, .healthClients, "leo", "critical") == 1)
        #expect(Self.value(rows, .healthClients, "sven", "good") == 1)
        #expect(Self.value(rows, .healthClients, "", "at-risk") == 1)
        #expect(Self.value(rows, .healthClients, "leo", "excellent") == nil)
        #expect(Self.value(rows, .pipelineDeals, "leo", "proposal") == 2)
        #expect(Self.value(rows, .pipelineValue, "leo", "proposal") == 1500)
        #expect(Self.value(rows, .pipelineValue, "leo", "negotiation") == 2000)
        #expect(Self.value(rows, .pipelineDeals, "leo", "closed-won") == nil)
        #expect(Self.value(rows, .pipelineDeals, "sven", "closed-lost") == nil)
        #expect(Self.value(rows, .dealsWon, "leo") == 2)
        #expect(Self.value(rows, .dealsLost, "leo") == 1)
        #expect(Self.value(rows, .dealsLost, "sven") == 1)
        #expect(Self.value(rows, .revenueExpanded, "leo") == 700)
        #expect(Self.value(rows, .revenueChurned, "sven") == 1500)
        #expect(Self.value(rows, .emailResponses, "leo") == 2)
        #expect(Self.value(rows, .emailResponseHours, "leo") == 7)
        #expect(Self.value(rows, .draftsApproved, "leo") == 2)
        #expect(Self.value(rows, .draftsRejected, "leo") == 1)
        #expect(Self.value(rows, .suggestionsAccepted, "sven") == 1)
        #expect(Self.value(rows, .suggestionsDismissed, "sven") == 1)
        #expect(Self.value(rows, .aiCalls, "leo") == 2)
        #expect(Self.value(rows, .aiCost, "leo") == 0.25)
        #expect(Self.value(rows, .aiCost, "") == 1.5)
        #expect(Self.value(rows, .ticketsOpened, "sven", "high") == 2)
        #expect(Self.value(rows, .ticketsOpened, "", "low") == 1)
        // One row a metric, owner and dimension.
        #expect(Set(rows.map { [$0.metric, $0.owner, $0.dimension] }).count == rows.count)
    }

    @Test("a day with nothing to count has no rows")
    func emptyDay() {
        #expect(SnapshotCalculator.rows(from: DailyFacts(day: Self.day)).isEmpty)
    }

    @Test("days: names round-trip, impossible dates are refused, neighbours cross months and years")
    func days() throws {
        let day = try #require(AnalyticsDay(name: "2024-02-29"))
        #expect(day.name == "2024-02-29")
        #expect(day.next.name == "2024-03-01")
        #expect(day.previous.name == "2024-02-28")
        #expect(AnalyticsDay(name: "2025-02-29") == nil)
        #expect(AnalyticsDay(name: "2026-13-01") == nil)
        #expect(AnalyticsDay(name: "2026-1-01") == nil)
        #expect(AnalyticsDay(name: "2026-12-31")!.next.name == "2027-01-01")
        #expect(AnalyticsDay(name: "2026-12-04")!.adding(days: -30).name == "2026-11-04")
        #expect(AnalyticsDay(name: "2026-12-04")!.weekName == "2026-W49")
        #expect(AnalyticsDay(name: "2027-01-01")!.weekName == "2026-W53")
        #expect(AnalyticsDay(name: "2026-12-04")!.monthName == "2026-12")
        let noon = Date(timeIntervalSince1970: AnalyticsDay(name: "2026-12-04")!.start.timeIntervalSince1970 + 43_200)
        #expect(AnalyticsDay(containing: noon).name == "2026-12-04")
        #expect(AnalyticsDay(name: "1969-12-31")!.next.name == "1970-01-01")
    }
}
