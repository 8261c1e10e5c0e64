import Foundation
import GRDB
import KAMCore
import KAMStore
import Testing

/// A day's facts read from a hand-made store: each record placed on one side of a boundary (the day's start and
/// end, the 365 days of orders, the 30-day answer window), the figures computed by hand.
@Suite struct AnalyticsFactsTests {
    static let day = AnalyticsDay(name: "2026-12-04")!

    /// The time `hours` after the day's start (before it when negative).
    static func t(_ hours: Double) -> Double { day.start.timeIntervalSince1970 + hours * 3600 }

    static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { day.end })
        try store.writer.write { db in
            for user in ["leo", "sven"] {
                try db.execute(sql: "INSERT INTO users (id, name, email) VALUES (?, ?, ?)", arguments: [user, user, "\(user)@kam.example"])
            }
            for (client, owner) in [("a", "leo"), ("b", "leo"), ("c", "sven"), ("d", nil)] as [(String, String?)] {
                try db.execute(
                    sql: """
                        INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training, lifecycle,
                          lead_status, created_at, updated_at)
                        VALUES (?, ?, 'standard', 'USD', ?, 1, 1, 'active', 'won', 0, 0)
                        """,
                    arguments: [client, client.uppercased(), owner])
            }
            func score(_ client: String, _ at: Double, _ band: String) throws {
                try db.execute(
                    sql: "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, 50, ?, '[]')",
                    arguments: [client, t(at), band])
            }
            try score("a", -30, "good")
            try score("a", 10, "critical")
            try score("a", 30, "excellent")  // after the day
            try score("b", -100, "excellent")
            try score("c", 25, "at-risk")  // after the day: c has no score then
            try score("d", 1, "at-risk")
            func deal(_ client: String, _ amount: Double, _ stage: String, _ entered: Double, history: [(String, Double)]) throws {
                try db.execute(
                    sql: """
                        INSERT INTO deals (client_id, name, stage, amount, currency, probability, stage_entered_at)
                        VALUES (?, 'deal', ?, ?, 'USD', 0.5, ?)
                        """,
                    arguments: [client, stage, amount, t(entered)])
                let id = db.lastInsertedRowID
                for (stage, at) in history {
                    try db.execute(
                        sql: "INSERT INTO deal_stage_history (deal_id, stage, entered_at) VALUES (?, ?, ?)", arguments: [id, stage, t(at)])
                }
            }
            // In proposal at the day's end, in negotiation since the next day.
            try deal("a", 1000, "negotiation", 30, history: [("prospecting", -50), ("proposal", 5), ("negotiation", 30)])
            // Won during the day by a client that had won before: an expansion.
            try deal("a", 700, "closed-won", 12, history: [("proposal", -40), ("closed-won", 12)])
            try deal("a", 200, "closed-won", -200, history: [("closed-won", -200)])
            try deal("c", 90, "closed-lost", 3, history: [("qualification", -10), ("closed-lost", 3)])
            // No history: its own stage when it entered it before the day's end.
            try deal("b", 55, "prospecting", -5, history: [])
            try deal("b", 66, "qualification", 26, history: [])
            func event(_ kind: String, _ client: String, _ payload: String, _ at: Double) throws {
                try db.execute(
                    sql: "INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [kind, client, client, payload, t(at)])
            }
            try event("client.updated", "c", #"{"fields": ["lifecycle"], "lifecycle": "churned"}"#, 8)
            try event("client.updated", "b", #"{"fields": ["tier"], "lifecycle": "churned"}"#, 9)  // already churned
            try event("client.updated", "a", #"{"fields": ["lifecycle"], "lifecycle": "churned"}"#, -20)  // the day before
            try event("suggestion.accepted", "a", #"{"type": "follow-up"}"#, 5)
            try event("suggestion.dismissed", "c", #"{"type": "upsell"}"#, 6)
            try event("suggestion.accepted", "c", #"{"type": "upsell"}"#, 25)  // the next day
            for (amount, at) in [(400.0, -24.0 * 100), (100, -24.0 * 400), (50, 9)] {
                try db.execute(
                    sql: """
                        INSERT INTO orders (client_id, product, quantity, amount, currency, ordered_at, status)
                        VALUES ('c', 'p', 1, ?, 'USD', ?, 'delivered')
                        """,
                    arguments: [amount, t(at)])
            }
            func email(_ client: String, _ received: Double) throws {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at)
                        VALUES (?, ?, 'domain', 1, 'processed', ?)
                        """,
                    arguments: ["<\(client)\(received)@x>", client, t(received)])
            }
            func activity(_ client: String, _ kind: String, _ at: Double) throws {
                try db.execute(
                    sql: "INSERT INTO activities (client_id, kind, direction, occurred_at) VALUES (?, ?, 'outbound', ?)",
                    arguments: [client, kind, t(at)])
            }
            try email("a", -3)  // answered at 2: 5 hours
            try email("a", 4)  // answered at 6: 2 hours
            try activity("a", "email", 2)
            try activity("a", "email", 6)
            try email("c", 20)  // a call is not an answer by email
            try activity("c", "call", 21)
            try email("b", -30)  // answered the day before
            try activity("b", "email", -29)
            for (user, cost, at) in [("leo", 250_000_000_000, 1.0), ("leo", nil, 2), (nil, 1_000_000_000_000, 3), ("leo", 7, -1)]
                as [(String?, Int64?, Double)]
            {
                try db.execute(
                    sql: """
                        INSERT INTO model_calls (id, called_at, user_id, provider, requested_model, attempts, input_tokens,
                          output_tokens, cached_input_tokens, cache_creation_input_tokens, cost_picousd, latency_ms, outcome, offline)
                        VALUES (?, ?, ?, 'offline', 'm', 1, 1, 1, 0, 0, ?, 1, 'success', 1)
                        """,
                    arguments: ["call-\(at)", t(at), user, cost])
            }
            for (client, priority, at) in [("c", "high", 2.0), ("d", "low", 3), ("c", "urgent", -2)] {
                try db.execute(
                    sql: """
                        INSERT INTO support_tickets (client_id, channel, subject, body, status, priority, created_at, updated_at)
                        VALUES (?, 'email', 's', 'b', 'open', ?, ?, ?)
                        """,
                    arguments: [client, priority, t(at), t(at)])
            }
        }
        return store
    }

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
