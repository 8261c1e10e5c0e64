import Foundation
import GRDB
import KAMCore

/// The events of the clients, contacts, activities, tasks and memory items a CSV import created, appended
/// together before its commit by one `INSERT ... SELECT` a kind instead of one `INSERT` a record as each is
/// written: the same events (one a created record, the payloads `DomainEvent`'s constructors make), in the
/// same transaction, grouped by kind (clients, contacts, activities, tasks, memory items, each in the order
/// written) after the import's other events (a lead move, a memory item replaced).
///
/// Why: a CSV row of one client creates about seven records, and appending their events one statement at a
/// time was half of SQLite's work for the row (`tools/import-floor`, BENCHMARKS.md "CSV import"); SQLite
/// builds the same rows from the stored records far more cheaply, and no payload is built in Swift.
///
/// Which records are new: every row of the five tables above `mark`'s largest row id (SQLite gives an
/// inserted row a larger id than any before it, and an import deletes none), all written by the import
/// through `ImportWriter` with `announcesCreations` false, which is what would have announced each one.
struct CreatedRecordEvents {
    /// The largest row id of clients, contacts, activities, tasks and memory items before the import.
    private let marks: [Int64]

    /// What the store holds before the import writes.
    static func mark(_ db: Database) throws -> CreatedRecordEvents {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT max(rowid) FROM clients), (SELECT max(id) FROM contacts), (SELECT max(id) FROM activities),
                (SELECT max(id) FROM tasks), (SELECT max(id) FROM client_memory)
                """)
        return CreatedRecordEvents(marks: (0..<5).map { (row?[$0] as Int64?) ?? 0 })
    }

    /// A payload time (`DomainEvent.timeText`) in SQL: whole seconds of the years 1600 to 9999 by
    /// `strftime`, which prints them alike, anything else by `kam_event_time`.
    private static func time(_ column: String) -> String {
        """
        CASE WHEN \(column) IS NULL THEN NULL
        WHEN \(column) = CAST(\(column) AS INTEGER) AND \(column) BETWEEN -11676096000 AND 253402300799
        THEN strftime('%Y-%m-%dT%H:%M:%SZ', \(column), 'unixepoch') ELSE kam_event_time(\(column)) END
        """
    }

    /// `DomainEvent.timeText` for SQL.
    private static let eventTime = DatabaseFunction("kam_event_time", argumentCount: 1, pure: true) { values in
        Double.fromDatabaseValue(values[0]).map { DomainEvent.timeText(Date(timeIntervalSince1970: $0)) }
    }

    /// Each kind's statement: the event's kind, then the client, subject and payload (keys sorted, as
    /// `DomainEvent.payloadText` writes them) read from the new rows; `?1` is the mark, `?2` the time.
    private static let statements: [String] = [
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        SELECT 'client.created', id, id, json_object('client_id', id, 'id', id, 'owner_id', owner_id), ?2
        FROM clients WHERE rowid > ?1 ORDER BY rowid
        """,
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        SELECT 'contact.created', client_id, CAST(id AS TEXT),
        json_object('client_id', client_id, 'id', CAST(id AS TEXT), 'role', role), ?2
        FROM contacts WHERE id > ?1 ORDER BY id
        """,
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        SELECT 'activity.logged', client_id, CAST(id AS TEXT),
        json_object('client_id', client_id, 'contact_id', CAST(contact_id AS TEXT), 'direction', direction,
          'id', CAST(id AS TEXT), 'kind', kind, 'occurred_at', \(time("occurred_at"))), ?2
        FROM activities WHERE id > ?1 ORDER BY id
        """,
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        SELECT 'task.created', client_id, CAST(id AS TEXT),
        json_object('assignee', assignee, 'client_id', client_id, 'due', \(time("due")), 'id', CAST(id AS TEXT),
          'priority', priority, 'status', status), ?2
        FROM tasks WHERE id > ?1 ORDER BY id
        """,
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        SELECT 'memory.remembered', client_id, CAST(id AS TEXT),
        json_object('client_id', client_id, 'id', CAST(id AS TEXT), 'kind', kind, 'outcome', 'created',
          'source', CASE instr(source, ':') WHEN 0 THEN source ELSE substr(source, 1, instr(source, ':') - 1) END),
        coalesce(updated_at, ?2)
        FROM client_memory WHERE id > ?1 ORDER BY id
        """,
    ]

    /// Appends the events of every record created since `mark`, at `now` (a memory item's at its own time,
    /// as `DomainEvent.memoryRemembered`; `updated_at` is never null, the `coalesce` only binds `?2` there too).
    func append(_ db: Database, at now: Date) throws {
        db.add(function: Self.eventTime)
        for (sql, mark) in zip(Self.statements, marks) {
            try db.execute(sql: sql, arguments: [mark, now.timeIntervalSince1970])
        }
    }
}
