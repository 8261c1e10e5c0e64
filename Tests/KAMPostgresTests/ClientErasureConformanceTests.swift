import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// A client's erasure, written once and run against SQLite and PostgreSQL: the same rows found (by `client_id`, by a
/// foreign key into them, by a text or blob naming the client or a contact) and removed, the ledger's rows detached,
/// the other clients' rows left, and two processes erasing one client at once.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Client erasure conformance")
struct ClientErasureConformanceTests {
    /// Acme's draft with an event; Globex's draft naming Jane in another case, with an event; Globex's own draft; an
    /// unmatched email whose raw bytes name Jane's address; a campaign with a recipient of Acme's and one of Globex's;
    /// a model call of Acme's. `blob` spells a text as a blob literal in the store's dialect.
    static func seed(blob: (String) -> String) -> [String] {
        [
            """
            INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, prompt_id, prompt_version,
                prompt_hash, provider, model, is_offline, document)
            VALUES ('d1', 'acme', 'email', 'pending', 1.5e9, 1.5e9, 'p', '1', 'h', 'offline', 'm', TRUE, '{}'),
                ('d2', 'globex', 'email', 'pending', 1.5e9, 1.5e9, 'p', '1', 'h', 'offline', 'm', TRUE,
                 '{"body": "Ask JANE SMITH about the 50% _deal_"}'),
                ('d3', 'globex', 'email', 'pending', 1.5e9, 1.5e9, 'p', '1', 'h', 'offline', 'm', TRUE, '{"body": "Hi"}')
            """,
            """
            INSERT INTO draft_events (draft_id, at, action, to_status)
            VALUES ('d1', 1.5e9, 'created', 'pending'), ('d2', 1.5e9, 'created', 'pending'),
                ('d3', 1.5e9, 'created', 'pending')
            """,
            """
            INSERT INTO inbound_emails (message_id, client_id, "match", confidence, status, received_at, raw)
            VALUES ('<a@x>', NULL, 'none', 0, 'processed', 1.5e9, \(blob("From: jane.smith@ACME.example\nGröße"))),
                ('<b@x>', NULL, 'none', 0, 'processed', 1.5e9, \(blob("From: someone@else.example\nGröße")))
            """,
            """
            INSERT INTO campaigns (id, external_id, name, vendor, sent_at, imported_at, recipients, sends, bounces,
                opens, clicks, unsubscribes, replies)
            VALUES (1, 'hubspot:1', 'Spring', 'hubspot', 1.5e9, 1.5e9, 2, 2, 0, 0, 0, 0, 0)
            """,
            """
            INSERT INTO campaign_recipients (campaign_id, email, contact_id, client_id, sent, opens, clicks, bounced,
                unsubscribed, replied)
            VALUES (1, 'jane.smith@acme.example', 1, 'acme', TRUE, 0, 0, FALSE, FALSE, FALSE),
                (1, 'bob@globex.example', 2, 'globex', TRUE, 0, 0, FALSE, FALSE, FALSE)
            """,
            """
            INSERT INTO model_calls (id, called_at, client_id, provider, requested_model, attempts, input_tokens,
                output_tokens, cached_input_tokens, cache_creation_input_tokens, latency_ms, outcome, offline)
            VALUES ('call-1', 1.5e9, 'acme', 'offline', 'm', 1, 10, 5, 0, 0, 3, 'success', FALSE)
            """,
        ]
    }

    static func seeded(_ world: InboxWorld, _ kind: StoreBackend) async throws {
        let blob: (String) -> String = { text in
            let hex = Array(text.utf8).map { String(format: "%02x", $0) }.joined()
            return kind == .sqlite ? "X'\(hex)'" : "'\\x\(hex)'::bytea"
        }
        for statement in seed(blob: blob) { try await world.execute(statement) }
    }

    @Test("an erasure removes the client's rows and the rows naming it, and leaves the others", arguments: StoreBackend.allCases)
    func erase(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await Self.seeded(world, kind)
            let erasure = try world.handles[1].eraser.erase(clientID: "acme")
            #expect(
                erasure
                    == ClientErasure(
                        clientID: "acme",
                        rowsByTable: [
                            "clients": 1, "contacts": 1, "drafts": 2, "draft_events": 2, "inbound_emails": 1,
                            "campaign_recipients": 1,
                        ], ledgerRowsDetached: 1))
            #expect(try await world.strings("SELECT id FROM clients ORDER BY id") == ["globex", "initech"])
            #expect(try await world.strings("SELECT name FROM contacts ORDER BY id") == ["Bob"])
            #expect(try await world.strings("SELECT id FROM drafts ORDER BY id") == ["d3"])
            #expect(try await world.strings("SELECT draft_id FROM draft_events ORDER BY id") == ["d3"])
            #expect(try await world.strings("SELECT message_id FROM inbound_emails ORDER BY message_id") == ["<b@x>"])
            #expect(try await world.strings("SELECT email FROM campaign_recipients ORDER BY id") == ["bob@globex.example"])
            #expect(try await world.count("campaigns") == 1)
            #expect(try await world.strings("SELECT COALESCE(client_id, '-') FROM model_calls") == ["-"])
            #expect(try await world.strings("SELECT id FROM users ORDER BY id") == ["u1", "u2"])
            // Gone: a second erasure finds no such client, and changes nothing.
            #expect(throws: ExportError.self) { try world.first.eraser.erase(clientID: "acme") }
            #expect(try await world.count("drafts") == 1)
        }
    }

    @Test("of erasures of one client racing over two handles, one erases it and the others find no such client", arguments: StoreBackend.allCases)
    func erasuresRace(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await Self.seeded(world, kind)
            let outcomes = await OnThreads.values(4) { index in
                Result { try world.handles[index % 2].eraser.erase(clientID: "acme") }
            }
            let erased = outcomes.compactMap { try? $0.get() }
            #expect(erased.map(\.total) == [8], "\(outcomes)")
            let refused = outcomes.compactMap { outcome -> ExportError? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? ExportError
            }
            #expect(refused.count == 3 && refused.allSatisfy { $0.code == .clientNotFound }, "\(outcomes)")
            #expect(try await world.strings("SELECT id FROM clients ORDER BY id") == ["globex", "initech"])
        }
    }
}
