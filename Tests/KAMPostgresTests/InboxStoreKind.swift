import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the inbound email, support ticket, campaign, retention and erasure conformance suites run against:
/// SQLite and PostgreSQL, each opened by several handles over one database (two `ClientStore.open(path:)` on one
/// file, two `PostgresStore`s on one schema), as several processes would open it.
enum InboxStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world of `handles` handles holding `InboxWorld.seed`, torn down whatever happens.
    func withWorld(handles: Int = 2, _ body: (InboxWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown) { world in
            for statement in InboxWorld.seed { try await world.execute(statement) }
            try await body(world)
        }
    }

    private func open(handles: Int) async throws -> InboxWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-inbox.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path) }
            return InboxWorld(
                handles: stores.map {
                    InboxHandle(
                        tickets: SupportTicketRepository(writer: $0.writer), emails: InboundEmailRepository(store: $0),
                        campaigns: CampaignRepository(store: $0), retention: RetentionRepository(store: $0),
                        eraser: ClientDataEraser(store: $0), leads: HealthRepository(store: $0), memory: $0)
                },
                execute: { sql in try stores[0].writer.write { try $0.execute(sql: sql) } },
                strings: { sql in try stores[0].writer.read { try String.fetchAll($0, sql: sql) } }
            ) { file.remove() }
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return InboxWorld(
                handles: opened.map {
                    InboxHandle(
                        tickets: PostgresSupportTicketStore(store: $0), emails: PostgresInboundEmailStore(store: $0),
                        campaigns: PostgresCampaignStore(store: $0), retention: PostgresRetentionStore(store: $0),
                        eraser: PostgresClientDataEraser(store: $0), leads: PostgresHealthStore(store: $0),
                        memory: PostgresClientMemory(store: $0))
                },
                execute: { sql in try await opened[0].execute(sql) },
                strings: { sql in try await opened[0].strings(sql) }, tearDown: tearDown)
        }
    }
}

/// One handle's stores: what one process would hold.
struct InboxHandle: Sendable {
    let tickets: any SupportTicketStoring
    let emails: any InboundEmailStoring
    let campaigns: any CampaignStoring
    let retention: any RetentionSweeping
    let eraser: any ClientDataErasing
    /// The leads' store, for an intake's lead move (`EmailIntakeStores`).
    let leads: any HealthStoring
    let memory: any ClientMemoryReading
}

/// Handles over one database, and plain SQL on it for what no store method does (seeding clients and contacts,
/// reading the event log and the other tables an intake writes).
struct InboxWorld: Sendable {
    let handles: [InboxHandle]
    let execute: @Sendable (String) async throws -> Void
    let strings: @Sendable (String) async throws -> [String]
    let tearDown: @Sendable () async -> Void

    var first: InboxHandle { handles[0] }

    /// Users `u1` (who owns Acme Corp) and `u2` (Globex), an unowned Initech, and two contacts with fixed ids:
    /// Jane of Acme (1) and Bob of Globex (2). Statements both stores take as they are.
    static let seed = [
        """
        INSERT INTO users (id, name, email)
        VALUES ('u1', 'Maria', 'maria@kam.example'), ('u2', 'Tom', 'tom@Team.Example')
        """,
        """
        INSERT INTO clients (id, name, tier, currency, owner_id, domain, consent_ai_analysis, consent_training,
            lifecycle, lead_status, created_at, updated_at)
        VALUES
            ('acme', 'Acme Corp', 'standard', 'USD', 'u1', 'acme.example', TRUE, FALSE, 'active', 'won', 1.5e9, 1.5e9),
            ('globex', 'Globex', 'standard', 'USD', 'u2', 'Globex.Example', TRUE, FALSE, 'active', 'won', 1.5e9, 1.5e9),
            ('initech', 'Initech', 'standard', 'USD', NULL, NULL, TRUE, FALSE, 'active', 'won', 1.5e9, 1.5e9)
        """,
        """
        INSERT INTO contacts (id, client_id, name, email, role)
        VALUES (1, 'acme', 'Jane Smith', 'Jane.Smith@acme.example', 'decision-maker'),
            (2, 'globex', 'Bob', 'bob@globex.example', 'user')
        """,
    ]

    /// The events of `prefix`'s kinds (`ticket.`, `email.`, …), oldest first, as `kind subject client`.
    func events(_ prefix: String) async throws -> [String] {
        try await strings(
            """
            SELECT kind || ' ' || COALESCE(subject_id, '-') || ' ' || COALESCE(client_id, '-') FROM events
            WHERE kind LIKE '\(prefix)%' ORDER BY id
            """)
    }

    /// How many rows `table` holds.
    func count(_ table: String) async throws -> Int {
        Int(try await strings("SELECT CAST(COUNT(*) AS TEXT) FROM \(table)").first ?? "") ?? -1
    }
}
