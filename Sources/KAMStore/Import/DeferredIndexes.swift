import GRDB

/// Secondary indexes a large import drops before it writes and builds again before it commits, inside
/// its one transaction (DDL is transactional in SQLite: a failed import rolls the drop back too, and
/// readers of the WAL keep seeing the indexes throughout).
///
/// Why: a CSV row of one client writes ~12 rows and, with every index kept, ~41 b-tree entries, most of
/// them at scattered keys (a client's slug, an event's subject); inserting them one by one was half of
/// the writing thread. Building an index once over the finished table sorts its keys first, which is
/// far cheaper than as many random inserts (the usual bulk-load advice, PostgreSQL's "Populating a
/// Database" among others): measured in BENCHMARKS.md "CSV import".
///
/// Only indexes that no query of the import itself reads are in `candidates` (the import looks rows
/// up by external id — the UNIQUE constraints' own indexes, never dropped —, contacts by client and
/// email or name, tasks by client and title, clients by domain, memory by client and key): dropping
/// one of those would turn each lookup into a scan. A table's indexes are dropped only when the
/// import brings at least as many rows as the table holds, so rebuilding never costs more than a few
/// times the import's own rows, however large the store.
struct DeferredIndexes {
    /// Table → the indexes on it that an import may defer.
    static let candidates: [(table: String, indexes: [String])] = [
        ("events", ["events_client"]),
        ("activities", ["activities_on_client_time", "activities_on_contact"]),
        ("tasks", ["tasks_pending_on_client_due"]),
        ("clients", ["clients_on_name", "clients_on_owner"]),
        ("contacts", ["contacts_on_email"]),
    ]

    /// The dropped indexes' names and their `CREATE INDEX` statements, in the order dropped.
    private(set) var dropped: [(name: String, sql: String)] = []

    /// Drops the candidates of every table holding at most `rowsComing` rows (estimated by its
    /// largest rowid, read from the b-tree's last page rather than counted).
    static func drop(in db: Database, rowsComing: Int) throws -> DeferredIndexes {
        var deferred = DeferredIndexes()
        for (table, indexes) in candidates {
            let largest = try Int.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") ?? 0
            guard largest <= rowsComing else { continue }
            try deferred.remove(indexes, of: table, in: db)
        }
        return deferred
    }

    /// Drops `indexes` of `table`, for a caller that weighed the rebuild against the rows it writes itself
    /// (`CampaignImporter`: a report replaces its campaigns' recipients, so a table's largest rowid says nothing of
    /// how many rows it keeps).
    static func drop(_ indexes: [String], of table: String, in db: Database) throws -> DeferredIndexes {
        var deferred = DeferredIndexes()
        try deferred.remove(indexes, of: table, in: db)
        return deferred
    }

    private mutating func remove(_ indexes: [String], of table: String, in db: Database) throws {
        for name in indexes {
            guard let sql = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?",
                arguments: [name, table])
            else { continue }  // an older schema without it: nothing to defer
            try db.execute(sql: "DROP INDEX \"\(name)\"")
            dropped.append((name, sql))
        }
    }

    /// Builds the dropped indexes again, each from its original statement.
    func restore(in db: Database) throws {
        for (_, sql) in dropped {
            try db.execute(sql: sql)
        }
    }
}
