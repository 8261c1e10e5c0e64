import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The analytics reads (`AnalyticsReading`), written once and run against SQLite and PostgreSQL over the same rows:
/// the hand-made `AnalyticsFixture` (every read with its boundaries: a day's start included and its end excluded, an
/// `until` instant included, JSON documents with and without the keys read, unknown statuses and types, owners and
/// none), the figures computed by hand; and the demo store with synthetic approved drafts, where PostgreSQL must give
/// every fact SQLite gives, for every method, day, range and custom metric filter.
///
/// The reads take no lock (each is one read-only transaction, a snapshot of the store), so there is no race to run.
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Analytics reads conformance")
struct AnalyticsStoreConformanceTests {
    static let day = AnalyticsFixture.day
    static func at(_ hours: Double) -> Date { AnalyticsFixture.at(hours) }

    static func fixture() throws -> ClientStore { try AnalyticsFixture.store() }

    static func content(_ subject: String) -> DraftContent {
        DraftContent(subject: subject, body: "Hello about \(subject).", callToAction: "Call me")
    }

    @Test(
        "approvals and drafts: by approval or creation time, the approved text, edits and owners",
        arguments: StoreBackend.allCases)
    func drafts(kind: StoreBackend) async throws {
        try await kind.withAnalyticsReader(of: try Self.fixture()) { reader in
            let approvals = try reader.approvals(since: nil)
            #expect(approvals.count == 3)
            #expect(
                Set(approvals) == [
                    AnalyticsApprovalFact(
                        content: Self.content("one"), createdAt: Self.at(-30), decidedAt: Self.at(1), createdBy: "leo",
                        decidedBy: "leo", clientOwnerID: "leo"),
                    // Edited: the person's text, not the model's.
                    AnalyticsApprovalFact(
                        content: Self.content("two, edited"), createdAt: Self.at(2), decidedAt: Self.at(3),
                        createdBy: "sven", decidedBy: "leo", clientOwnerID: "sven"),
                    // Sent, its `edited` JSON null: the model's text.
                    AnalyticsApprovalFact(
                        content: Self.content("four"), createdAt: Self.at(-50), decidedAt: Self.at(0), createdBy: "leo",
                        decidedBy: nil, clientOwnerID: "leo"),
                ])
            #expect(Set(try reader.approvals(since: Self.at(1)).map(\.decidedAt)) == [Self.at(1), Self.at(3)])
            #expect(try reader.approvals(since: Self.at(3).addingTimeInterval(1)).isEmpty)

            func draft(
                _ kind: String, _ prompt: String, _ status: DraftStatus, _ distance: Int?, _ edited: Bool,
                _ by: String?,
                _ owner: String?
            ) -> AnalyticsDraftFact {
                AnalyticsDraftFact(
                    kind: kind, promptID: prompt, promptVersion: "v1", status: status, editDistance: distance,
                    edited: edited, createdBy: by, clientOwnerID: owner)
            }
            let d1 = draft("follow-up", "email.follow-up", .approved, 0, false, "leo", "leo")
            let d2 = draft("reply", "email.follow-up", .editedAndApproved, 12, true, "sven", "sven")
            let d3 = draft("follow-up", "email.reply", .rejected, nil, false, nil, nil)
            let d4 = draft("follow-up", "email.follow-up", .sent, nil, false, "leo", "leo")
            let d5 = draft("follow-up", "email.follow-up", .pending, nil, false, "leo", "leo")
            // A status this kam does not know reads as pending.
            let d6 = draft("follow-up", "email.follow-up", .pending, nil, false, nil, "leo")
            let all = try reader.drafts(since: nil)
            #expect(all.count == 6)
            #expect(Set(all) == [d1, d2, d3, d4, d5, d6])
            // Created at the day's start or after.
            #expect(Set(try reader.drafts(since: Self.day.start)) == [d2, d3, d5, d6])
            // Decided in the day: at its start yes, at its end (d3) no, never decided (d5) no.
            let decided = try reader.drafts(decidedFrom: Self.day.start, to: Self.day.end)
            #expect(decided.count == 4)
            #expect(Set(decided) == [d1, d2, d4, d6])
            #expect(
                Set(try reader.drafts(decidedFrom: Self.day.start, to: Self.at(24).addingTimeInterval(1))) == [
                    d1, d2, d3, d4, d6,
                ])
            #expect(try reader.drafts(decidedFrom: Self.at(8), to: Self.at(20)).isEmpty)
        }
    }

    @Test(
        "suggestions and their decisions, their origins and dismissals; the owners' clients",
        arguments: StoreBackend.allCases)
    func suggestions(kind: StoreBackend) async throws {
        try await kind.withAnalyticsReader(of: try Self.fixture()) { reader in
            let s1 = AnalyticsSuggestionFact(
                type: "follow-up", status: .accepted, clientOwnerID: "leo", origin: "quiet-client")
            let s2 = AnalyticsSuggestionFact(
                type: "upsell", status: .dismissed, clientOwnerID: "sven", origin: "built-in upsell",
                dismissKind: "not-relevant")
            let s3 = AnalyticsSuggestionFact(
                type: "custom-thing", status: .pending, clientOwnerID: nil, origin: "custom-thing")
            let s4 = AnalyticsSuggestionFact(type: "follow-up", status: .pending, clientOwnerID: "leo", origin: "r2")
            let all = try reader.suggestions(since: nil)
            #expect(all.count == 4)
            #expect(Set(all) == [s1, s2, s3, s4])
            #expect(Set(try reader.suggestions(since: Self.day.start)) == [s1, s2, s3])
            #expect(try reader.suggestions(since: Self.at(3).addingTimeInterval(1)).isEmpty)

            let decisions = try reader.suggestionDecisions(from: Self.day.start, to: Self.day.end)
            #expect(decisions.count == 2)
            #expect(
                Set(decisions) == [
                    AnalyticsSuggestionFact(type: "follow-up", status: .accepted, clientOwnerID: "leo"),
                    AnalyticsSuggestionFact(type: "upsell", status: .dismissed, clientOwnerID: "sven"),
                ])
            // `from` included, `to` excluded: the dismissal at 06:00 and the next day's acceptance.
            #expect(
                Set(try reader.suggestionDecisions(from: Self.at(6), to: Self.at(26))) == [
                    AnalyticsSuggestionFact(type: "upsell", status: .dismissed, clientOwnerID: "sven"),
                    AnalyticsSuggestionFact(type: "upsell", status: .accepted, clientOwnerID: "sven"),
                ])
            #expect(try reader.suggestionDecisions(from: Self.at(5), to: Self.at(5)).isEmpty)

            #expect(try reader.clientIDs(ownedBy: ["leo"]) == ["a", "b"])
            #expect(try reader.clientIDs(ownedBy: ["leo", "sven", "nobody"]) == ["a", "b", "c"])
            #expect(try reader.clientIDs(ownedBy: ["nobody"]).isEmpty)
            #expect(try reader.clientIDs(ownedBy: []).isEmpty)
        }
    }

    @Test(
        "a day's facts: its end excluded, an until instant included, the day before",
        arguments: StoreBackend.allCases)
    func dailyFacts(kind: StoreBackend) async throws {
        try await kind.withAnalyticsReader(of: try Self.fixture()) { reader in
            let facts = try reader.dailyFacts(day: Self.day)
            #expect(facts.health.count == 3)
            #expect(
                Set(facts.health) == [
                    .init(ownerID: "leo", band: .critical), .init(ownerID: "leo", band: .excellent),
                    .init(ownerID: nil, band: .atRisk),
                ])
            #expect(facts.deals.count == 5)
            #expect(
                Set(facts.deals) == [
                    .init(ownerID: "leo", stage: .proposal, amount: 1000),
                    .init(ownerID: "leo", stage: .closedWon, amount: 700),
                    .init(ownerID: "leo", stage: .closedWon, amount: 200),
                    .init(ownerID: "sven", stage: .closedLost, amount: 90),
                    .init(ownerID: "leo", stage: .prospecting, amount: 55),
                ])
            #expect(
                Set(facts.closings) == [
                    .init(ownerID: "leo", won: true, amount: 700, clientWonBefore: true),
                    .init(ownerID: "sven", won: false, amount: 90, clientWonBefore: false),
                ])
            #expect(facts.churns == [.init(ownerID: "sven", revenue: 400)])
            #expect(facts.responses.map { $0.answeredAt.timeIntervalSince($0.receivedAt) / 3600 }.sorted() == [2, 5])
            #expect(facts.drafts.count == 4)
            #expect(
                Set(facts.drafts) == [.init(ownerID: "leo", accepted: true), .init(ownerID: "sven", accepted: true)])
            #expect(facts.suggestions.count == 2)
            #expect(
                Set(facts.suggestions) == [
                    .init(ownerID: "leo", accepted: true), .init(ownerID: "sven", accepted: false),
                ])
            #expect(facts.tickets.count == 2)
            #expect(
                Set(facts.tickets) == [.init(ownerID: "sven", priority: "high"), .init(ownerID: nil, priority: "low")])
            #expect(facts.calls.isEmpty)

            // Up to 02:00 included: the answer and the ticket at 02:00 count, nothing later.
            let early = try reader.dailyFacts(day: Self.day, until: Self.at(2))
            #expect(early.closings.isEmpty)
            #expect(
                Set(early.health) == [
                    .init(ownerID: "leo", band: .good), .init(ownerID: "leo", band: .excellent),
                    .init(ownerID: nil, band: .atRisk),
                ])
            #expect(early.responses.map { $0.answeredAt.timeIntervalSince($0.receivedAt) / 3600 } == [5])
            #expect(early.tickets == [.init(ownerID: "sven", priority: "high")])
            #expect(early.drafts.count == 2)
            #expect(early.suggestions.isEmpty)

            // The day before: a churned client with no orders (revenue 0), nothing closed.
            let before = try reader.dailyFacts(day: Self.day.previous)
            #expect(before.churns == [.init(ownerID: "leo", revenue: 0)])
            #expect(before.closings.isEmpty)
            #expect(before.tickets == [.init(ownerID: "sven", priority: "urgent")])
        }
    }

    /// Custom metrics over every entity kind: counts with filters on the entity's and the client's fields, sums and
    /// averages of a double and an integer column, a column all NULL (sum 0, count 0), and one naming a field it may
    /// not (skipped).
    static let metrics = [
        CustomMetric(
            name: "won", entity: .deals, filters: [.init(field: "stage", values: ["closed-won", "closed-lost"])]),
        CustomMetric(
            name: "standard-amount", entity: .deals, filters: [.init(field: "client.tier", values: ["standard"])],
            aggregate: .sum, field: "amount"),
        CustomMetric(name: "order", entity: .orders, aggregate: .avg, field: "amount"),
        CustomMetric(name: "quantity", entity: .orders, aggregate: .sum, field: "quantity"),
        CustomMetric(name: "high", entity: .tickets, filters: [.init(field: "priority", values: ["high"])]),
        CustomMetric(name: "led", entity: .clients, filters: [.init(field: "owner_id", values: ["leo"])]),
        CustomMetric(name: "clients", entity: .clients),
        CustomMetric(
            name: "leo-emails", entity: .activities,
            filters: [
                .init(field: "client.owner_id", values: ["leo"]), .init(field: "kind", values: ["email"]),
            ]),
        CustomMetric(name: "mood", entity: .activities, aggregate: .avg, field: "sentiment"),
        CustomMetric(name: "none", entity: .tasks, filters: [.init(field: "status", values: [])]),
        CustomMetric(name: "bad", entity: .deals, aggregate: .sum, field: "stage"),
    ]

    @Test(
        "custom metrics: filters, counts, sums and averages per owner, a field not allowed skipped",
        arguments: StoreBackend.allCases)
    func customMetrics(kind: StoreBackend) async throws {
        try await kind.withAnalyticsReader(of: try Self.fixture()) { reader in
            let rows = try reader.customRows(Self.metrics, day: Self.day)
            #expect(rows.allSatisfy { $0.day == Self.day && $0.dimension == "" })
            #expect(rows.count == 17)
            #expect(
                Set(rows.map { "\($0.metric) \($0.owner) \($0.value)" }) == [
                    "custom.won leo 2.0", "custom.won sven 1.0",
                    "custom.standard-amount leo 2021.0", "custom.standard-amount sven 90.0",
                    "custom.order:sum sven 550.0", "custom.order:count sven 3.0", "custom.quantity sven 3.0",
                    "custom.high sven 1.0", "custom.led leo 2.0",
                    "custom.clients  1.0", "custom.clients leo 2.0", "custom.clients sven 1.0",
                    "custom.leo-emails leo 3.0",
                    "custom.mood:sum leo 0.0", "custom.mood:count leo 0.0", "custom.mood:sum sven 0.0",
                    "custom.mood:count sven 0.0",
                ])
            #expect(try reader.customRows([], day: Self.day).isEmpty)
        }
    }
}
