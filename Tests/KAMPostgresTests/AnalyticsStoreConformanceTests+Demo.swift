import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

extension AnalyticsStoreConformanceTests {
    /// `facts`' parts, each sorted (the order of the facts is not part of the contract), for comparing two stores'.
    static func normalized(_ facts: DailyFacts) -> [String] {
        func part<T>(_ name: String, _ values: [T]) -> String {
            name + ": " + values.map { String(describing: $0) }.sorted().joined(separator: "; ")
        }
        return [
            part("health", facts.health), part("deals", facts.deals), part("closings", facts.closings),
            part("churns", facts.churns), part("responses", facts.responses), part("drafts", facts.drafts),
            part("suggestions", facts.suggestions), part("calls", facts.calls), part("tickets", facts.tickets),
        ]
    }

    static func sorted<T>(_ values: [T]) -> [String] { values.map { String(describing: $0) }.sorted() }

    /// A count of every entity, a count filtered by each of its text fields (the first two values stored in it), and
    /// an average of each of its number fields: every path a custom metric may name, with values that match rows.
    static func everyMetric(in store: ClientStore) throws -> [CustomMetric] {
        var metrics: [CustomMetric] = []
        for entity in CustomMetricEntity.allCases {
            metrics.append(CustomMetric(name: "\(entity)-all", entity: entity))
            for (field, kind) in entity.fields.sorted(by: { $0.key < $1.key }) {
                let name =
                    "\(entity)-\(field.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-"))"
                switch kind {
                case .number:
                    metrics.append(CustomMetric(name: name, entity: entity, aggregate: .avg, field: field))
                case .text:
                    let probe = CustomMetric(name: name, entity: entity, filters: [.init(field: field, values: [])])
                    let column = CustomMetric.queryColumn(field)
                    let values = try store.writer.read { db in
                        try String.fetchAll(
                            db,
                            sql: """
                                SELECT DISTINCT \(column) FROM \(probe.querySource.from) WHERE \(column) IS NOT NULL
                                ORDER BY 1 LIMIT 2
                                """)
                    }
                    metrics.append(
                        CustomMetric(name: name, entity: entity, filters: [.init(field: field, values: values)]))
                }
            }
        }
        return metrics
    }

    @Test(
        "the demo store with synthetic approved drafts: PostgreSQL gives every fact SQLite gives, every day and range")
    func demoStore() async throws {
        let file = TemporaryFile("kam-analytics-demo.sqlite")
        defer { file.remove() }
        let sqlite = try await ClientMemoryConformanceTests.demoStore(at: file.path)
        _ = try SyntheticApprovedDrafts.generate(count: 40, into: sqlite)
        // The demo has no health scores: four a client, days apart, some at the same second (the id breaks the tie).
        let now = ClientMemoryConformanceTests.now
        let day = 86_400.0
        try await sqlite.writer.write { db in
            let bands = HealthBand.allCases
            for (index, client) in try String.fetchAll(db, sql: "SELECT id FROM clients ORDER BY id").enumerated() {
                for step in 0..<4 {
                    try db.execute(
                        sql:
                            "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, 50, ?, '[]')",
                        arguments: [
                            client,
                            now.addingTimeInterval(-Double(step / 2 * 9 + index % 5) * day).timeIntervalSince1970,
                            bands[(index + step) % bands.count].rawValue,
                        ])
                }
            }
        }
        let local = AnalyticsRepository(writer: sqlite.writer)
        let metrics = try Self.everyMetric(in: sqlite)
        try await StoreBackend.postgres.withAnalyticsReader(of: sqlite) { postgres in
            var compared = 0
            func same<T>(_ what: String, _ read: (any AnalyticsReading) throws -> [T]) throws {
                let expected = Self.sorted(try read(local))
                #expect(Self.sorted(try read(postgres)) == expected, "\(what)")
                compared += expected.count
            }
            for days in [nil, 1.0, 7, 30, 400, 10_000] as [Double?] {
                let since = days.map { now.addingTimeInterval(-$0 * day) }
                try same("approvals since \(days ?? -1) days") { try $0.approvals(since: since) }
                try same("drafts since \(days ?? -1) days") { try $0.drafts(since: since) }
                try same("suggestions since \(days ?? -1) days") { try $0.suggestions(since: since) }
            }
            for (from, to) in [(-7.0, 0.0), (-30, 1), (-400, 0), (-10_000, 10)] {
                let range = (now.addingTimeInterval(from * day), now.addingTimeInterval(to * day))
                try same("drafts decided \(from)…\(to)") { try $0.drafts(decidedFrom: range.0, to: range.1) }
                try same("suggestion decisions \(from)…\(to)") {
                    try $0.suggestionDecisions(from: range.0, to: range.1)
                }
            }
            let owners = Set(try sqlite.listClients().compactMap(\.ownerID))
            #expect(!owners.isEmpty)
            for subset in [owners, Set(owners.prefix(1)), ["nobody"], []] {
                #expect(try postgres.clientIDs(ownedBy: subset) == local.clientIDs(ownedBy: subset))
            }
            let today = AnalyticsDay(containing: now)
            for offset in -40...1 {
                let one = today.adding(days: offset)
                for until in [nil, one.start, one.start.addingTimeInterval(13 * 3600 + 0.5)] as [Date?] {
                    let expected = Self.normalized(try local.dailyFacts(day: one, until: until))
                    #expect(
                        Self.normalized(try postgres.dailyFacts(day: one, until: until)) == expected,
                        "\(one) until \(String(describing: until))")
                    compared += expected.count
                }
            }
            try same("custom metrics") { try $0.customRows(metrics, day: today) }
            #expect(metrics.count > 40)
            // Every kind of read compared rows, not two empty lists.
            #expect(try local.drafts(since: nil).count >= 40)
            #expect(try local.approvals(since: nil).count >= 40)
            #expect(try local.customRows(metrics, day: today).count > metrics.count)
            let facts = try (-40...0).map { try local.dailyFacts(day: today.adding(days: $0)) }
            #expect(facts.contains { !$0.health.isEmpty } && facts.contains { !$0.deals.isEmpty })
            #expect(compared > 500, "\(compared)")
        }
    }
}
