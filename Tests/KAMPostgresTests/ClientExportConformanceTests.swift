import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// A client's data export (GDPR access) on SQLite and PostgreSQL: one store, the demo's accounts with every kind of
/// row added by hand, exported from SQLite and from its copy in PostgreSQL (`StoreCopy`), gives the same document for
/// every client: the same tables, the same rows in the same order, the same values. An unknown client is
/// `clientNotFound` on both.
@Suite("Client export conformance")
struct ClientExportConformanceTests {
    static let now = ClientMemoryConformanceTests.now

    /// The demo store (`ClientMemoryConformanceTests.demoStore`: accounts, tickets, an analysed email, campaigns) with
    /// approved drafts and their history, health scores, Acme's budget and model call (the ledger's tables), and two
    /// emails of Acme's whose raw bytes hold a NUL (valid UTF-8: exported as text) and bytes that are not UTF-8
    /// (exported as base64).
    static func fixture(at path: String) async throws -> ClientStore {
        let store = try await ClientMemoryConformanceTests.demoStore(at: path)
        _ = try SyntheticApprovedDrafts.generate(count: 12, into: store)
        try await store.writer.write { db in
            for (index, client) in try String.fetchAll(db, sql: "SELECT id FROM clients ORDER BY id").enumerated() {
                try db.execute(
                    sql: "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, ?, 'watch', '[]')",
                    arguments: [client, now.addingTimeInterval(-Double(index) * 3_600.5).timeIntervalSince1970, 40 + index])
            }
            try db.execute(
                sql: """
                    INSERT INTO budgets (id, scope_kind, scope_value, period, amount_picousd)
                    VALUES ('budget-acme', 'client', 'acme', 'month', 2000000000)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO model_calls (id, called_at, client_id, provider, requested_model, attempts, input_tokens,
                        output_tokens, cached_input_tokens, cache_creation_input_tokens, latency_ms, outcome, offline)
                    VALUES ('call-acme', ?, 'acme', 'offline', 'm', 1, 10, 5, 0, 0, 3, 'success', 1)
                    """, arguments: [now.timeIntervalSince1970 - 0.25])
            let withNUL = Data("From: jane.smith@acme.example\n\n".utf8) + Data([0]) + Data("Größe".utf8)
            let notUTF8 = Data("From: jane.smith@acme.example\n\n".utf8) + Data([0, 0xFF, 0xFE, 0xC3])
            for (index, raw) in [withNUL, notUTF8].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, "match", confidence, status, received_at, raw)
                        VALUES (?, 'acme', 'none', 0.5, 'processed', ?, ?)
                        """,
                    arguments: ["<bytes-\(index)@acme.example>", now.timeIntervalSince1970 - Double(index), raw])
            }
        }
        return store
    }

    @Test("every client's export from SQLite and from its PostgreSQL copy is the same document")
    func sameDocuments() async throws {
        let file = TemporaryFile("kam-client-export.sqlite")
        defer { file.remove() }
        let sqlite = try await Self.fixture(at: file.path)
        try await StoreBackend.withPostgresCopy(of: sqlite) { database in
            let stores: [(String, any ClientDataErasing)] = [
                ("sqlite", ClientDataEraser(store: sqlite)), ("postgres", PostgresClientDataEraser(store: database)),
            ]
            let clients = try sqlite.listClients().map(\.id)
            #expect(clients.count >= 10)
            var rows = 0
            for client in clients {
                let expected = try stores[0].1.export(clientID: client, at: Self.now)
                let actual = try stores[1].1.export(clientID: client, at: Self.now)
                #expect(actual == expected, "\(client): \(Self.difference(expected, actual))")
                rows += Self.rows(expected).count
            }
            #expect(rows > 200, "\(rows)")
            // The document holds every kind of value, so the comparison saw each.
            let acme = Self.rows(try stores[0].1.export(clientID: "acme", at: Self.now))
            let values = acme.flatMap { $0.row.objectValue?.values.map { $0 } ?? [] }
            #expect(values.contains { if case .double = $0 { true } else { false } })
            #expect(values.contains { if case .int = $0 { true } else { false } })
            #expect(values.contains(.null))
            #expect(values.contains { $0["base64"] != nil })
            #expect(values.contains { $0.stringValue?.unicodeScalars.contains("\u{0}") == true })
            let tables = Set(acme.map(\.table))
            for table in [
                "clients", "contacts", "activities", "deals", "deal_stage_history", "tasks", "orders", "client_memory",
                "drafts", "draft_events", "inbound_emails", "support_tickets", "campaign_recipients", "health_scores",
                "events", "budgets", "model_calls",
            ] {
                #expect(tables.contains(table), "acme's export has no \(table)")
            }
            for (name, store) in stores {
                #expect(throws: ExportError.self, "\(name)") { try store.export(clientID: "nobody", at: Self.now) }
                do {
                    _ = try store.export(clientID: "nobody", at: Self.now)
                } catch let error as ExportError {
                    #expect(error.code == .clientNotFound, "\(name)")
                }
            }
        }
    }

    /// Every row of an export with its table, in the document's order.
    static func rows(_ document: JSONValue) -> [(table: String, row: JSONValue)] {
        (document["tables"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.flatMap { table, rows in
            (rows.arrayValue ?? []).map { (table, $0) }
        }
    }

    /// Where two exports first differ, for the failure's message.
    static func difference(_ expected: JSONValue, _ actual: JSONValue) -> String {
        let left = expected["tables"]?.objectValue ?? [:]
        let right = actual["tables"]?.objectValue ?? [:]
        guard left.keys.sorted() == right.keys.sorted() else {
            return "tables \(left.keys.sorted()) on SQLite, \(right.keys.sorted()) on PostgreSQL"
        }
        for table in left.keys.sorted() where left[table] != right[table] {
            let a = left[table]?.arrayValue ?? []
            let b = right[table]?.arrayValue ?? []
            guard a.count == b.count else { return "\(table): \(a.count) rows on SQLite, \(b.count) on PostgreSQL" }
            for (index, (x, y)) in zip(a, b).enumerated() where x != y {
                let columns = Set((x.objectValue ?? [:]).keys).union((y.objectValue ?? [:]).keys).sorted()
                let differing = columns.filter { x[$0] != y[$0] }.map {
                    "\($0): \(String(describing: x[$0])) vs \(String(describing: y[$0]))"
                }
                return "\(table) row \(index): \(differing.joined(separator: "; "))"
            }
        }
        return "the documents' other fields"
    }
}
