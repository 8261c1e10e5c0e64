import Foundation
import GRDB
import KAMCore
import KAMStore
import Testing

@Suite struct ClientDeletionTests {
    static let t0 = ExportFixtures.t0

    /// Every table touched: the client's own rows, children of its rows, rows that only mention it,
    /// and another client that must survive.
    func seededStore() throws -> ClientStore {
        let store = try ExportFixtures.demoLike()
        _ = try store.upsertClient(Client(id: "globex", name: "Globex Logistics", consentTraining: true, createdAt: Self.t0))
        let at = Self.t0.timeIntervalSince1970
        try store.writer.write { db in
            let contact = try Int64.fetchOne(db, sql: "SELECT id FROM contacts WHERE client_id = 'acme'")!
            try db.execute(
                sql: """
                    INSERT INTO activities (client_id, contact_id, kind, direction, occurred_at, subject, body)
                    VALUES ('acme', ?, 'call', 'outbound', ?, 'Call with Jane Doe', 'Jane Doe asked for a quote');
                    INSERT INTO deals (client_id, name, stage, amount, currency, probability, stage_entered_at)
                    VALUES ('acme', 'Acme Manufacturing renewal', 'negotiation', 1000, 'USD', 0.5, ?);
                    INSERT INTO tasks (client_id, title, status, priority) VALUES ('acme', 'Send quote to Jane Doe', 'open', 'high');
                    INSERT INTO orders (client_id, product, quantity, amount, currency, ordered_at, status)
                    VALUES ('acme', 'Sensors', 3, 300, 'USD', ?, 'delivered');
                    INSERT INTO client_memory (client_id, kind, key, value, source, confidence, updated_at)
                    VALUES ('acme', 'preference', 'channel', 'call +1 415 555 0134 before noon', 'note', 1, ?);
                    INSERT INTO suggestions (id, client_id, type, target, status, priority, created_at, expires_at, document)
                    VALUES ('s1', 'acme', 'follow-up', 'Jane Doe', 'pending', 1, ?, ?, '{}');
                    INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, from_address, subject, raw, analysis_prompt)
                    VALUES ('<m1@acme>', 'acme', 'contact', 1, 'processed', ?, 'jane.doe@acme-mfg.example', 'Quote', CAST('From: Jane Doe' AS BLOB), 'Analyse the email of Jane Doe');
                    INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, from_address, subject)
                    VALUES ('<m2@elsewhere>', NULL, 'none', 0, 'unmatched', ?, 'JANE.DOE@acme-mfg.example', 'hello');
                    INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES ('acme', ?, 70, 'healthy', '[]');
                    INSERT INTO lead_transitions (client_id, from_status, to_status, automatic, reason, at)
                    VALUES ('acme', 'qualified', 'won', 0, 'signed', ?);
                    INSERT INTO model_calls (id, called_at, client_id, prompt_id, provider, requested_model, attempts,
                      input_tokens, output_tokens, cached_input_tokens, cache_creation_input_tokens, cost_picousd, latency_ms, outcome, offline)
                    VALUES ('c1', ?, 'acme', 'draft.follow-up-email', 'offline', 'offline', 1, 100, 50, 0, 0, 0, 5, 'success', 1);
                    """,
                arguments: [contact] + StatementArguments(Array(repeating: at, count: 11)))
        }
        // Another client's draft that names the client's contact: it names them, so it goes too.
        try ExportFixtures.insert(
            ExportFixtures.draft("g1", client: "globex", contact: "Tom Ng", company: "Globex Logistics", body: "Tom, Jane Doe recommended us."),
            in: store)
        try ExportFixtures.insert(
            ExportFixtures.draft("g2", client: "globex", contact: "Tom Ng", company: "Globex Logistics", body: "Tom, the pallets ship Monday.")
                .withPrompt("Write to Tom Ng at Globex Logistics."),
            in: store)
        return store
    }

    /// Every (table, column, value) whose text contains one of `needles`, case-insensitively.
    func traces(of needles: [String], in store: ClientStore) throws -> [String] {
        try store.writer.read { db in
            var found: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                    for (column, value) in row {
                        let text: String
                        switch value.storage {
                        case .string(let s): text = s
                        case .blob(let d): text = String(decoding: d, as: UTF8.self)
                        default: continue
                        }
                        for needle in needles where text.lowercased().contains(needle.lowercased()) {
                            found.append("\(table).\(column) contains \(needle)")
                        }
                    }
                }
            }
            return found
        }
    }

    let acmeIdentifiers = ["Acme Manufacturing", "Jane Doe", "jane.doe@acme-mfg.example", "+1 415 555 0134"]

    @Test func deleteLeavesNoTrace() throws {
        let store = try seededStore()
        #expect(try traces(of: acmeIdentifiers, in: store).count > 10)
        let erasure = try ClientDataEraser(store: store).erase(clientID: "acme")
        #expect(try traces(of: acmeIdentifiers, in: store) == [])
        #expect(erasure.rowsByTable["clients"] == 1)
        #expect(erasure.rowsByTable["drafts"] == 4)  // d1, d2, d4 and globex's g1 that names Jane Doe
        #expect(erasure.ledgerRowsDetached == 1)
        let state = try store.writer.read { db in
            (
                clients: try String.fetchAll(db, sql: "SELECT id FROM clients ORDER BY id"),
                drafts: try String.fetchAll(db, sql: "SELECT id FROM drafts ORDER BY id"),
                events: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM draft_events WHERE draft_id IN ('d1', 'd2')"),
                callTokens: try Int.fetchOne(db, sql: "SELECT input_tokens FROM model_calls WHERE id = 'c1'"),
                callClient: try String.fetchOne(db, sql: "SELECT client_id FROM model_calls WHERE id = 'c1'"),
                umbrellaContacts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE client_id = 'umbrella'")
            )
        }
        #expect(state.clients == ["globex", "umbrella"])
        #expect(state.drafts == ["d3", "g2"])
        #expect(state.events == 0)
        // Spend stays in the usage ledger, detached from the client.
        #expect(state.callTokens == 100)
        #expect(state.callClient == nil)
        #expect(state.umbrellaContacts == 1)
    }

    @Test func exportHasEveryTableAboutTheClient() throws {
        let store = try seededStore()
        let document = try ClientDataEraser(store: store).export(clientID: "acme", at: Self.t0)
        let tables = try #require(document["tables"]?.objectValue)
        for table in ["clients", "contacts", "activities", "deals", "tasks", "orders", "client_memory", "drafts",
                      "draft_events", "suggestions", "inbound_emails", "health_scores", "lead_transitions", "model_calls"] {
            #expect((tables[table]?.arrayValue?.count ?? 0) > 0, "\(table) missing")
        }
        #expect(tables["inbound_emails"]?.arrayValue?.count == 2)  // also the unmatched one from Jane's address
        #expect(tables["drafts"]?.arrayValue?.count == 4)
        #expect(tables["clients"]?.arrayValue?.first?["name"] == .string("Acme Manufacturing"))
        #expect(tables["clients"]?.arrayValue?.contains { $0["id"] == .string("umbrella") } == false)
    }

    @Test("an export loses no byte: text holding a NUL comes whole, a blob that is not UTF-8 as its base64, rows in key order")
    func exportKeepsEveryByte() throws {
        let store = try seededStore()
        _ = try store.upsertActivity(
            Activity(
                clientID: "acme", externalID: "nul-1", kind: .note, direction: .internal, occurredAt: Self.t0,
                subject: "Jane\u{0}wants the schedule.", body: "before\u{0}after"))
        let raw: [UInt8] = [0x46, 0x72, 0x6F, 0x6D, 0, 0xFF, 0xFE]
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, raw)
                    VALUES ('<bytes@acme>', 'acme', 'contact', 1, 'processed', ?, ?)
                    """, arguments: [Self.t0.timeIntervalSince1970, Data(raw)])
        }
        let tables = try #require(
            try ClientDataEraser(store: store).export(clientID: "acme", at: Self.t0)["tables"]?.objectValue)
        let activities = try #require(tables["activities"]?.arrayValue)
        #expect(activities.contains { $0["subject"] == .string("Jane\u{0}wants the schedule.") && $0["body"] == .string("before\u{0}after") })
        let emails = try #require(tables["inbound_emails"]?.arrayValue)
        #expect(emails.contains { $0["raw"] == .object(["base64": .string(Data(raw).base64EncodedString())]) })
        for rows in [activities, emails] {
            let ids = rows.compactMap { $0["id"]?.intValue }
            #expect(ids.count == rows.count && ids == ids.sorted(), "\(ids)")
        }
    }

    @Test func unknownClientIsAnError() throws {
        let store = try ExportFixtures.store()
        #expect(throws: ExportError.self) { try ClientDataEraser(store: store).erase(clientID: "nobody") }
    }

    @Test("a table without rowid is an aggregate the erasure does not read: none has a client_id column, and a store holding one erases")
    func tablesWithoutRowID() throws {
        let store = try seededStore()
        let aggregates = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT ROWID%'")
        }
        #expect(aggregates.contains("analytics_snapshots"))
        for table in aggregates {
            let columns = try store.writer.read { db in try db.columns(in: table).map { $0.name } }
            #expect(!columns.contains("client_id"), "\(table) holds clients' rows but has no rowid: ClientDataEraser cannot find them")
        }
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO analytics_snapshots (metric, day, owner_id, dimension, value) VALUES ('deals.won', '2026-12-01', 'leo', '', 2)")
        }
        let erasure = try ClientDataEraser(store: store).erase(clientID: "acme")
        #expect(erasure.total > 0)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM analytics_snapshots") } == 1)
    }

}

extension Draft {
    fileprivate func withPrompt(_ user: String) -> Draft {
        var copy = self
        copy.promptMessages = DraftGenerator.messagesJSON([ChatMessage(role: .user, content: user)])
        return copy
    }
}
