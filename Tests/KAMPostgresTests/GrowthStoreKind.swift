import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import PostgresNIO
import Testing

@testable import KAMPostgres

/// The stores the conformance suites of health scores, leads and inboxes run against: SQLite and PostgreSQL, each with several
/// handles on the same data as several processes would open it (files of one path; `PostgresStore`s on one schema).
enum GrowthStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world of `handles` handles holding `GrowthWorld.clients` and their owners, torn down
    /// (file removed, schema dropped) whatever happens.
    func withWorld(handles: Int = 2, _ body: (GrowthWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown) { world in
            try await world.execute(GrowthWorld.seed)
            try await body(world)
        }
    }

    private func open(handles: Int) async throws -> GrowthWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-growth.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path) }
            return GrowthWorld(
                handles: stores.map { store in
                    GrowthWorld.Handle(
                        health: HealthRepository(store: store), leads: LeadRepository(store: store),
                        proposals: LeadProposalRepository(store: store),
                        notifications: NotificationRepository(store: store),
                        rules: RuleExecutionRepository(store: store))
                },
                execute: { statements in
                    try await stores[0].writer.write { db in
                        for sql in statements { try db.execute(sql: sql) }
                    }
                },
                strings: { sql in try await stores[0].writer.read { db in try String.fetchAll(db, sql: sql) } },
                allEvents: {
                    try EventRepository(store: stores[0]).events(after: 0, limit: 100_000).map {
                        "\($0.kind) \($0.subjectID ?? "-") \($0.payload)"
                    }
                }
            ) { file.remove() }
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            let store = opened[0]
            return GrowthWorld(
                handles: opened.map { store in
                    GrowthWorld.Handle(
                        health: PostgresHealthStore(store: store), leads: PostgresLeadStore(store: store),
                        proposals: PostgresLeadProposalStore(store: store),
                        notifications: PostgresNotificationStore(store: store),
                        rules: PostgresRuleExecutionStore(store: store))
                },
                execute: { statements in
                    for sql in statements { try await store.execute(sql) }
                },
                strings: { sql in try await store.strings(sql) },
                allEvents: {
                    try await store.strings(
                        "SELECT kind || ' ' || COALESCE(subject_id, '-') || ' ' || payload FROM events ORDER BY id")
                }, tearDown: tearDown)
        }
    }
}

/// Handles on one store's health scores, leads and inboxes, one a process, and what the suites read and write besides them.
struct GrowthWorld: Sendable {
    struct Handle: Sendable {
        let health: any HealthStoring
        let leads: any LeadStoring
        let proposals: any LeadProposalStoring
        let notifications: any NotificationStoring
        let rules: any RuleExecutionStoring
    }

    let handles: [Handle]
    /// Runs statements of SQL both stores understand, in one transaction on SQLite.
    let execute: @Sendable ([String]) async throws -> Void
    /// The first column of a query's rows, as text.
    let strings: @Sendable (String) async throws -> [String]
    /// Every domain event written, oldest first, as `kind subject payload`.
    let allEvents: @Sendable () async throws -> [String]
    let tearDown: @Sendable () async -> Void

    var health: any HealthStoring { handles[0].health }
    var leads: any LeadStoring { handles[0].leads }
    var proposals: any LeadProposalStoring { handles[0].proposals }
    var notifications: any NotificationStoring { handles[0].notifications }
    var rules: any RuleExecutionStoring { handles[0].rules }

    /// A fixed noon (UTC) for the suites' clocks.
    static let t0 = Date(timeIntervalSince1970: 1_795_003_200)

    /// The clients: `u1` owns `acme` (a new lead), `u2` owns `globex` (contacted), nobody owns `initech` (qualified);
    /// created a day apart, `acme` first.
    static let clients: [(id: String, owner: String?, status: LeadStatus)] = [
        ("acme", "u1", .new), ("globex", "u2", .contacted), ("initech", nil, .qualified),
    ]

    static func createdAt(_ index: Int) -> Date { t0.addingTimeInterval(Double(index - 10) * 86_400) }

    static let seed: [String] =
        ["u1", "u2"].map { "INSERT INTO users (id, name, email) VALUES ('\($0)', '\($0)', '\($0)@kam.example')" }
        + clients.indices.map { index -> String in
            let client = clients[index]
            let owner = client.owner.map { "'\($0)'" } ?? "NULL"
            let created = createdAt(index).timeIntervalSince1970
            return """
                INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training,
                    lifecycle, lead_status, created_at, updated_at)
                VALUES ('\(client.id)', '\(client.id)', 'standard', 'USD', \(owner), TRUE, FALSE, 'active',
                    '\(client.status.rawValue)', \(created), \(created))
                """
        }

    /// An open (or `stage`) deal of `amount` for `clientID`, as SQL both stores run.
    static func deal(_ clientID: String, _ name: String, amount: Double, stage: String = "proposal") -> String {
        """
        INSERT INTO deals (client_id, name, stage, amount, currency, probability, stage_entered_at)
        VALUES ('\(clientID)', '\(name)', '\(stage)', \(amount), 'USD', 0.5, \(t0.timeIntervalSince1970))
        """
    }

    /// The events of `kinds` (`kind subject payload`), oldest first.
    func events(_ kinds: Set<String>) async throws -> [String] {
        try await allEvents().filter { kinds.contains(String($0.prefix { $0 != " " })) }
    }

    /// `event` as `allEvents()` lists it.
    static func line(_ event: DomainEvent) -> String {
        "\(event.kind.rawValue) \(event.subjectID ?? "-") \(event.payloadText)"
    }
}
