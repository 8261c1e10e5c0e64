import Foundation
import GRDB
import KAMCore

/// The batch upserts of an import (`ImportSink.upsertContacts`, `upsertActivities`, `upsertTasks`, `upsertMemories`) on
/// SQLite: every record goes through a multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`, `rowsAStatement` a
/// statement, in order, and the ones whose key a row already held then through the one-record upsert, which updates
/// them. Each record is answered in order, so the rows, ids and events are the ones the calls one at a time leave. The
/// caller's batch holds no key twice, and a key on each record but an activity's (one without cannot conflict; a
/// contact or task without one matches by email, name or title, one at a time).
///
/// Why: a statement's own work (resetting it, opening a cursor on the table and each of its indexes, reading and
/// writing `sqlite_sequence` for an `AUTOINCREMENT` id) is paid once a statement, not once a row; a CSV row of one
/// person a company holds five such records (`tools/import-floor`, BENCHMARKS.md "CSV import").
extension ClientRecords {
    /// Rows a multi-row `INSERT` holds: 64 rows of 9 values stay far under SQLite's 32,766 bound parameters.
    static let rowsAStatement = 64

    /// `upsertContact` for each of `contacts` (each with an external id, none twice: the caller's batch).
    static func upsertContacts(
        _ db: Database, _ contacts: [Contact], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        let inserted = try insertNew(
            db, contacts, into: "contacts", columns: "client_id, external_id, name, email, phone, title, role",
            conflict: "external_id", key: \.externalID
        ) { c in
            [c.clientID, c.externalID, c.name, c.email, c.phone, c.title, c.role.rawValue]
        }
        return try answers(db, contacts, inserted, announcing: announcingCreation) { .contactCreated($0, id: $1, at: now) } stored: {
            try upsertContact(db, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    /// `upsertActivity` for each of `activities` (no external id twice: the caller's batch).
    static func upsertActivities(
        _ db: Database, _ activities: [Activity], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        let inserted = try insertNew(
            db, activities, into: "activities",
            columns: "client_id, contact_id, external_id, kind, direction, occurred_at, subject, body, sentiment",
            conflict: "external_id", key: \.externalID
        ) { a in
            [
                a.clientID, a.contactID, a.externalID, a.kind.rawValue, a.direction.rawValue, a.occurredAt.timeIntervalSince1970,
                a.subject, a.body, a.sentiment,
            ]
        }
        return try answers(db, activities, inserted, announcing: announcingCreation) { .activityLogged($0, id: $1, at: now) } stored: {
            try upsertActivity(db, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    /// `upsertTask` for each of `tasks` (no external id twice).
    static func upsertTasks(
        _ db: Database, _ tasks: [ClientTask], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        let inserted = try insertNew(
            db, tasks, into: "tasks", columns: "client_id, external_id, title, due, status, priority, assignee",
            conflict: "external_id", key: \.externalID
        ) { t in
            [t.clientID, t.externalID, t.title, t.due?.timeIntervalSince1970, t.status.rawValue, t.priority.rawValue, t.assignee]
        }
        return try answers(db, tasks, inserted, announcing: announcingCreation) { .taskCreated($0, id: $1, at: now) } stored: {
            try upsertTask(db, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    /// `upsertMemory` for each of `items` (no client and key twice).
    static func upsertMemories(
        _ db: Database, _ items: [MemoryItem], announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        let inserted = try insertNew(
            db, items, into: "client_memory", columns: "kind, value, source, confidence, updated_at, client_id, key",
            conflict: "client_id, key", key: { MemoryKey(client: $0.clientID, key: $0.key) }
        ) { item in
            [item.kind.rawValue, item.value, item.source, item.confidence, item.updatedAt.timeIntervalSince1970, item.clientID, item.key]
        } stored: { row in
            MemoryKey(client: row.text(1) ?? "", key: row.text(2) ?? "")
        }
        return try answers(db, items, inserted, announcing: announcingCreation) {
            .memoryRemembered($0, id: $1, created: true, at: $0.updatedAt)
        } stored: {
            try upsertMemory(db, $0, announcingCreation: announcingCreation)
        }
    }

    /// Each record's answer, in order: created under the id `inserted` gives it (with its `created` event when
    /// `announcing`), else `stored`'s (the one-record upsert, which finds the stored row and updates it).
    private static func answers<Record>(
        _ db: Database, _ records: [Record], _ inserted: [Int64?], announcing: Bool, created: (Record, Int64) -> DomainEvent,
        stored: (Record) throws -> (id: Int64, outcome: UpsertOutcome)
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try ImportBatch.each(Array(zip(records, inserted))) { record, id in
            guard let id else { return try stored(record) }
            if announcing { try EventLog.append(db, created(record, id)) }
            return (id, .created)
        }
    }

    private struct MemoryKey: Hashable {
        var client: String
        var key: String
    }

    /// `insertNew` for records keyed by one text column (an external id).
    private static func insertNew<Record>(
        _ db: Database, _ records: [Record], into table: String, columns: String, conflict: String,
        key: (Record) -> String?, values: (Record) -> [(any DatabaseValueConvertible)?]
    ) throws -> [Int64?] {
        try insertNew(db, records, into: table, columns: columns, conflict: conflict, key: key, values: values) { row in row.text(1) }
    }

    /// Inserts `records` in order by multi-row `INSERT INTO table (columns) VALUES … ON CONFLICT(conflict) DO NOTHING
    /// RETURNING id, conflict`: each record's new row id, by its place; nil for one a stored row holds the key of
    /// (`stored` reads a returned row's key, after its id). A record without a key cannot conflict: the rows without
    /// one take the chunk's returned ids without a key in turn, as each row takes the next id (a conflicting row
    /// one too, as its own `INSERT` would).
    private static func insertNew<Record, Key: Hashable>(
        _ db: Database, _ records: [Record], into table: String, columns: String, conflict: String,
        key: (Record) -> Key?, values: (Record) -> [(any DatabaseValueConvertible)?], stored: (StoredRow) -> Key?
    ) throws -> [Int64?] {
        var inserted = [Int64?](repeating: nil, count: records.count)
        var start = records.startIndex
        while start < records.endIndex {
            let chunk = start..<min(start + rowsAStatement, records.endIndex)
            start = chunk.upperBound
            var bound: [(any DatabaseValueConvertible)?] = []
            var places: [Key: Int] = [:]
            var keyless: [Int] = []
            for index in chunk {
                bound.append(contentsOf: values(records[index]))
                if let key = key(records[index]) { places[key] = index } else { keyless.append(index) }
            }
            let row = "(" + Array(repeating: "?", count: bound.count / chunk.count).joined(separator: ", ") + ")"
            let sql = """
                INSERT INTO \(table) (\(columns)) VALUES \(Array(repeating: row, count: chunk.count).joined(separator: ", "))
                ON CONFLICT(\(conflict)) DO NOTHING RETURNING id, \(conflict)
                """
            var anonymous: [Int64] = []
            try db.cachedStatement(sql: sql).forEachRow(storing: bound) { row in
                if let key = stored(row) {
                    if let index = places[key] { inserted[index] = row.int64(0) }
                } else {
                    anonymous.append(row.int64(0))
                }
            }
            for (index, id) in zip(keyless, anonymous.sorted()) { inserted[index] = id }
        }
        return inserted
    }
}
