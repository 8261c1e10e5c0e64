import Foundation
import GRDB
internal import GRDBSQLite
import KAMCore

/// An import's batches of new records on SQLite (`DatabaseImportSink`: clients, contacts, activities, tasks, memory
/// items, events), `rowsAStatement` rows a multi-row `INSERT`, in order.
///
/// Why: a statement's own work (resetting it, opening a cursor on the table and each of its indexes, reading and
/// writing `sqlite_sequence` for an `AUTOINCREMENT` id) is paid once a statement, not once a row: a fifth of SQLite's
/// work for a CSV row of one person a company (`tools/import-floor`, BENCHMARKS.md "CSV import"). Values are bound as
/// they come (`StatementBinding`) and the new rows' ids are not read back: an `AUTOINCREMENT` table gives the rows one
/// statement inserts consecutive ids, the last of them `sqlite3_last_insert_rowid`.
///
/// A statement holding a key a stored row or an earlier record holds fails whole (no `ON CONFLICT` clause: SQLite undoes
/// it, its ids included), and its records go through the one-record upsert one at a time, which updates the stored row;
/// so does any other statement SQLite refuses, and the refused record is named by its place (`ImportBatchError`). Each record is answered in order: the rows, ids and outcomes are the ones the calls
/// one at a time leave (`CSVImportBatchTests` compares them).
extension ClientRecords {
    /// Rows a multi-row `INSERT` holds: 64 rows of 16 values stay far under SQLite's 32,766 bound parameters.
    static let rowsAStatement = 64

    /// Inserts `clients`, each new (no row has its id or external id: the caller checked), without their events.
    static func insertClients(_ db: Database, _ clients: [Client], at now: Date, prepared: PreparedWrites) throws {
        _ = try insertMany(db, clients, .insertClient, prepared, bind: bindInsert) { client in
            try insertClient(db, client, at: now, announcing: false, prepared: prepared)
            return (0, .created)
        }
    }

    /// `upsertContact` of each of `contacts`, without events.
    static func upsertContacts(_ db: Database, _ contacts: [Contact], at now: Date, prepared: PreparedWrites) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try insertMany(db, contacts, .insertContact, prepared, bind: bind) {
            try upsertContact(db, $0, at: now, announcingCreation: false, prepared: prepared)
        }
    }

    /// `upsertActivity` of each of `activities`, without events.
    static func upsertActivities(_ db: Database, _ activities: [Activity], at now: Date, prepared: PreparedWrites) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try insertMany(db, activities, .insertActivity, prepared, bind: bind) {
            try upsertActivity(db, $0, at: now, announcingCreation: false, prepared: prepared)
        }
    }

    /// `upsertTask` of each of `tasks`, without events.
    static func upsertTasks(_ db: Database, _ tasks: [ClientTask], at now: Date, prepared: PreparedWrites) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try insertMany(db, tasks, .insertTask, prepared, bind: bind) { try upsertTask(db, $0, at: now, announcingCreation: false, prepared: prepared) }
    }

    /// `upsertMemory` of each of `items`, without events.
    static func upsertMemories(_ db: Database, _ items: [MemoryItem], prepared: PreparedWrites) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try insertMany(db, items, .insertMemory, prepared, bind: bindInsert) { try upsertMemory(db, $0, announcingCreation: false, prepared: prepared) }
    }

    /// Appends `events` in order.
    static func append(_ db: Database, _ events: [DomainEvent], prepared: PreparedWrites) throws {
        _ = try insertMany(db, events, .appendEvent, prepared, bind: EventLog.bind) { event in
            (try EventLog.append(db, event, prepared: prepared), .created)
        }
    }

    /// Inserts `records` `rowsAStatement` at a time by `kind`'s plain multi-row `INSERT`: each record's row id and
    /// `.created`. A statement SQLite refuses (a key a stored row or an earlier record holds, a foreign key, a value) is
    /// undone whole, and its records go through `upsert` one at a time, as they would alone: a stored key's record
    /// updates its row, and a refused record is named by its place (`ImportBatchError`).
    private static func insertMany<Record>(
        _ db: Database, _ records: [Record], _ kind: PreparedWrites.Kind, _ prepared: PreparedWrites,
        bind: (Record, inout StatementBinding) -> Void, upsert: (Record) throws -> (id: Int64, outcome: UpsertOutcome)
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        var answers: [(id: Int64, outcome: UpsertOutcome)] = []
        answers.reserveCapacity(records.count)
        var start = records.startIndex
        while start < records.endIndex {
            let chunk = records[start..<min(start + rowsAStatement, records.endIndex)]
            defer { start = chunk.endIndex }
            do {
                let statement = try prepared.batch(kind, rows: chunk.count, in: db)
                try statement.execute { values in
                    for record in chunk { bind(record, &values) }
                }
                // Every row new: an AUTOINCREMENT table gives one statement's rows consecutive ids, in order, ending at the
                // last one inserted.
                let last = sqlite3_last_insert_rowid(sqlite3_db_handle(statement.sqliteStatement))
                for offset in 0..<chunk.count { answers.append((last - Int64(chunk.count - 1 - offset), .created)) }
            } catch is DatabaseError {
                do {
                    answers += try ImportBatch.each(Array(chunk), upsert)
                } catch let refused as ImportBatchError {
                    throw ImportBatchError(index: chunk.startIndex - records.startIndex + refused.index, refused.error)
                }
            }
        }
        return answers
    }
}
