import Foundation
import GRDB
import KAMCore

/// The events of a CSV import, appended together before its commit: one `client.imported` for each client the import
/// created or created records for (`DomainEvent.clientImported`: whether it created the client, how many contacts,
/// activities, deals, tasks, orders and memory items it created for it), by one `INSERT ... SELECT` reading the new
/// rows, in client id order, after the import's other events (a lead move, a memory item replaced); then one
/// `import.completed`. A client the import only updated, with nothing new, gets none, so a re-import that changes
/// nothing appends only its `import.completed`.
///
/// Why one event a client and not one a record: an import is a backfill of history, and an event for every imported
/// activity, task and contact is noise for the rules and the outbound webhooks; it was also half of SQLite's work for a
/// row of one person a company (seven event rows and their index entries a CSV row: `tools/import-floor`, BENCHMARKS.md
/// "CSV import"). Which rules still start on it: docs/events.md.
///
/// Which records are new: every row of the tables below above `mark`'s largest row id (SQLite gives an inserted row a
/// larger id than any before it, and an import deletes none), written by the import through `ImportWriter` with
/// `announcesCreations` false, which is what would have announced each one.
struct ImportedClientEvents {
    /// The tables read, with the payload key each one's new rows are counted under (`DomainEvent.importedRecordKinds`).
    private static let tables: [(table: String, key: String)] = [
        ("contacts", "contacts"), ("activities", "activities"), ("deals", "deals"), ("tasks", "tasks"),
        ("orders", "orders"), ("client_memory", "memory"),
    ]

    /// The largest row id of clients, then of each of `tables`, before the import.
    private let marks: [Int64]

    /// What the store holds before the import writes.
    static func mark(_ db: Database) throws -> ImportedClientEvents {
        let largest = (["SELECT max(rowid) FROM clients"] + tables.map { "SELECT max(id) FROM \($0.table)" })
            .map { "(\($0))" }.joined(separator: ", ")
        let row = try Row.fetchOne(db, sql: "SELECT \(largest)")
        return ImportedClientEvents(marks: (0...tables.count).map { (row?[$0] as Int64?) ?? 0 })
    }

    /// One `client.imported` a client: its new rows of each table counted (`?1` the clients' mark, `?2`… the tables'),
    /// the payload by `json_object` with the keys sorted as `DomainEvent.payloadText` writes them.
    private static let statement: String = {
        let kinds = tables.count
        let columns = tables.indices.map { "n\($0)" }
        let zeros = { (position: Int) in (0..<kinds).map { $0 == position ? "1" : "0" }.joined(separator: ", ") }
        // The first SELECT names the columns of the whole UNION ALL.
        let parts = ["SELECT id AS client_id, 1 AS created, \(columns.map { "0 AS \($0)" }.joined(separator: ", ")) FROM clients WHERE rowid > ?1"]
            + tables.enumerated().map { index, table in
                "SELECT client_id, 0, \(zeros(index)) FROM \(table.table) WHERE id > ?\(index + 2)"
            }
        let counts = zip(tables, columns).map { ("'\($0.key)'", "sum(\($1))") }
        let members = (counts + [
            ("'client_id'", "client_id"), ("'created'", "json(CASE WHEN max(created) THEN 'true' ELSE 'false' END)"),
            ("'id'", "client_id"), ("'import_id'", "?\(kinds + 2)"),
        ]).sorted { $0.0 < $1.0 }.map { "\($0.0), \($0.1)" }.joined(separator: ", ")
        return """
            INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
            SELECT 'client.imported', client_id, client_id, json_object(\(members)), ?\(kinds + 3)
            FROM (\(parts.joined(separator: " UNION ALL ")))
            GROUP BY client_id ORDER BY client_id
            """
    }()

    /// Appends a `client.imported` for every client with rows created since `mark`, then the import's
    /// `import.completed` with `summary`'s tallies, at `now`.
    func append(_ db: Database, importID: String, format: String, summary: ImportSummary, at now: Date) throws {
        try db.cachedStatement(sql: Self.statement)
            .execute(storing: marks.map { $0 as (any DatabaseValueConvertible)? } + [importID, now.timeIntervalSince1970])
        let clients = db.changesCount
        try EventLog.append(
            db,
            .importCompleted(
                importID: importID, format: format, clients: clients, created: summary.counts(\.created),
                updated: summary.counts(\.updated), at: now))
    }
}
