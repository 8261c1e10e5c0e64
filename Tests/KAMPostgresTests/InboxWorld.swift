import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

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

/// The stores of the inbound email, support ticket, campaign, retention and erasure conformance suites, one set a
/// handle, over a database holding `seed`; plain SQL on it for what no store method does (seeding, reading the event
/// log and the other tables an intake writes).
struct InboxWorld: StoreWorld {
    let database: TestDatabase
    let handles: [InboxHandle]

    var first: InboxHandle { handles[0] }

    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute(Self.seed)
        handles = database.each(
            sqlite: { store in
                InboxHandle(
                    tickets: SupportTicketRepository(writer: store.writer), emails: InboundEmailRepository(store: store),
                    campaigns: CampaignRepository(store: store), retention: RetentionRepository(store: store),
                    eraser: ClientDataEraser(store: store), leads: HealthRepository(store: store), memory: store)
            },
            postgres: { store in
                InboxHandle(
                    tickets: PostgresSupportTicketStore(store: store), emails: PostgresInboundEmailStore(store: store),
                    campaigns: PostgresCampaignStore(store: store), retention: PostgresRetentionStore(store: store),
                    eraser: PostgresClientDataEraser(store: store), leads: PostgresHealthStore(store: store),
                    memory: PostgresClientMemory(store: store))
            })
    }

    /// Users `u1` (who owns Acme Corp) and `u2` (Globex), an unowned Initech, and two contacts with fixed ids:
    /// Jane of Acme (1) and Bob of Globex (2). Statements both stores take as they are.
    static let seed = [
        SeedRows.users([(id: "u1", name: "Maria", email: "maria@kam.example"), (id: "u2", name: "Tom", email: "tom@Team.Example")]),
        SeedRows.clients([
            .init(id: "acme", name: "Acme Corp", owner: "u1", domain: "acme.example", createdAt: created),
            .init(id: "globex", name: "Globex", owner: "u2", domain: "Globex.Example", createdAt: created),
            .init(id: "initech", name: "Initech", createdAt: created),
        ]),
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

    /// When the seeded clients were created.
    private static let created = Date(timeIntervalSince1970: 1.5e9)
}
