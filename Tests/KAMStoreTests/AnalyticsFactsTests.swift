import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

/// A day's facts read from a hand-made store (`AnalyticsFixture`): each record placed on one side of a boundary (the
/// day's start and end, the 365 days of orders, the 30-day answer window), the figures computed by hand.
@Suite struct AnalyticsFactsTests {
    static let day = AnalyticsFixture.day

    /// The time `hours` after the day's start (before it when negative).
    static func t(_ hours: Double) -> Double { AnalyticsFixture.t(hours) }

    static func store() throws -> ClientStore { try AnalyticsFixture.store() }

    @Test("the day's facts: levels at its end, what happened inside it, nothing from either side")
    func facts() async throws {
        let store = try Self.store()
        let facts = try AnalyticsRepository(writer: store.writer).dailyFacts(day: Self.day)
        #expect(Set(facts.health) == [.init(ownerID: "leo", band: .critical), .init(ownerID: "leo", band: .excellent), .init(ownerID: nil, band: .atRisk)])
        #expect(facts.health.count == 3)
        #expect(Set(facts.deals.filter(\.stage.isOpen)) == [
            .init(ownerID: "leo", stage: .proposal, amount: 1000), .init(ownerID: "leo", stage: .prospecting, amount: 55),
        ])
        #expect(Set(facts.closings) == [
            .init(ownerID: "leo", won: true, amount: 700, clientWonBefore: true),
            .init(ownerID: "sven", won: false, amount: 90, clientWonBefore: false),
        ])
        #expect(facts.churns == [.init(ownerID: "sven", revenue: 400)])
        #expect(facts.responses.map { $0.answeredAt.timeIntervalSince($0.receivedAt) / 3600 }.sorted() == [2, 5])
        #expect(facts.suggestions.sorted { $0.accepted && !$1.accepted } == [
            .init(ownerID: "leo", accepted: true), .init(ownerID: "sven", accepted: false),
        ])
        // The model calls are the usage ledger's, wherever it is kept: `AnalyticsService` reads them from its call log.
        #expect(facts.calls.isEmpty)
        let log = SQLiteCallLog(writer: store.writer)
        func calls(until end: Date) async throws -> [DailyFacts.Call] {
            try await log.calls(from: Self.day.start, to: end).map {
                DailyFacts.Call(userID: $0.userID, cost: $0.cost.map { Double($0.picodollars) / 1e12 })
            }
        }
        #expect(Set(try await calls(until: Self.day.end)) == [.init(userID: "leo", cost: 0.25), .init(userID: "leo", cost: nil), .init(userID: nil, cost: 1)])
        #expect(Set(facts.tickets) == [.init(ownerID: "sven", priority: "high"), .init(ownerID: nil, priority: "low")])

        let rows = SnapshotCalculator.rows(from: facts)
        func value(_ metric: SnapshotMetric, _ owner: String, _ dimension: String = "") -> Double? {
            rows.first { $0.metric == metric.rawValue && $0.owner == owner && $0.dimension == dimension }?.value
        }
        #expect(value(.revenueExpanded, "leo") == 700)
        #expect(value(.revenueChurned, "sven") == 400)
        #expect(value(.emailResponseHours, "leo") == 7)
        #expect(value(.pipelineValue, "leo", "proposal") == 1000)

        // Up to 02:00 included: the later records of the day are not there yet.
        let early = try AnalyticsRepository(writer: store.writer).dailyFacts(day: Self.day, until: Date(timeIntervalSince1970: Self.t(2)))
        #expect(try await calls(until: Date(timeIntervalSince1970: Self.t(2).nextUp)).count == 2)
        #expect(early.closings.isEmpty)
        #expect(Set(early.health) == [.init(ownerID: "leo", band: .good), .init(ownerID: "leo", band: .excellent), .init(ownerID: nil, band: .atRisk)])
    }

    @Test("taking a day again replaces exactly its rows, in one transaction; reads sum the owners asked for")
    func replaceAndRead() throws {
        let store = try Self.store()
        let snapshots = SnapshotRepository(writer: store.writer)
        let rows = SnapshotCalculator.rows(from: try AnalyticsRepository(writer: store.writer).dailyFacts(day: Self.day))
        let other = SnapshotRow(day: Self.day.previous, metric: "deals.won", owner: "leo", value: 3)
        try snapshots.replace(day: Self.day.previous, with: [other], takenAt: Self.day.end)
        #expect(try snapshots.replace(day: Self.day, with: rows, takenAt: Self.day.end) == 0)
        #expect(try snapshots.replace(day: Self.day, with: rows, takenAt: Self.day.end) == rows.count)
        let count = { try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM analytics_snapshots")! } }
        #expect(try count() == rows.count + 1)
        // Fewer rows the second time: the day holds only those.
        let fewer = [SnapshotRow(day: Self.day, metric: "deals.won", owner: "sven", value: 2)]
        try snapshots.replace(day: Self.day, with: fewer, takenAt: Self.day.end)
        #expect(try count() == 2)
        #expect(try snapshots.days(from: Self.day.previous, to: Self.day) == [Self.day.previous, Self.day])
        let all = try snapshots.dailySums(of: ["deals.won"], from: Self.day.previous, to: Self.day, owners: nil)
        #expect(Set(all.map { "\($0.day) \($0.owner) \($0.value)" }) == ["2026-12-03  3.0", "2026-12-04  2.0"])
        let leo = try snapshots.dailySums(of: ["deals.won"], from: Self.day.previous, to: Self.day, owners: ["leo"])
        #expect(leo.map(\.value) == [3])
        #expect(try snapshots.dailySums(of: ["deals.won"], from: Self.day.previous, to: Self.day, owners: []).isEmpty)
        let owners = try snapshots.ownerSums(of: ["deals.won"], from: Self.day.previous, to: Self.day, owners: nil)
        #expect(Set(owners.map { "\($0.owner) \($0.value)" }) == ["leo 3.0", "sven 2.0"])
    }

    @Test("custom metrics: the records matching every filter counted, a field summed, an average as sum and count, per owner")
    func customMetrics() throws {
        let store = try Self.store()
        let metrics = [
            CustomMetric(name: "won", entity: .deals, filters: [.init(field: "stage", values: ["closed-won", "closed-lost"])]),
            CustomMetric(
                name: "standard-amount", entity: .deals, filters: [.init(field: "client.tier", values: ["standard"])],
                aggregate: .sum, field: "amount"),
            CustomMetric(name: "order", entity: .orders, aggregate: .avg, field: "amount"),
            CustomMetric(name: "high", entity: .tickets, filters: [.init(field: "priority", values: ["high"])]),
            CustomMetric(name: "led", entity: .clients, filters: [.init(field: "owner_id", values: ["leo"])]),
        ]
        let rows = try AnalyticsRepository(writer: store.writer).customRows(metrics, day: Self.day)
        #expect(rows.allSatisfy { $0.day == Self.day && $0.dimension == "" })
        let figures = Set(rows.map { "\($0.metric) \($0.owner) \($0.value)" })
        #expect(figures == [
            "custom.won leo 2.0", "custom.won sven 1.0",
            "custom.standard-amount leo 2021.0", "custom.standard-amount sven 90.0",
            "custom.order:sum sven 550.0", "custom.order:count sven 3.0",
            "custom.high sven 1.0",
            "custom.led leo 2.0",
        ])
    }
}
