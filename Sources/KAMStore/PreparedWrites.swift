import GRDB

/// The statements a bulk write runs for every record, prepared once and then taken by their place in a list, for the
/// one transaction of an import (`DatabaseImportSink`): `Database.cachedStatement(sql:)` finds a statement by hashing
/// its whole SQL text, and with a few statements a row that was 3% of a CSV import's writing thread (BENCHMARKS.md
/// "CSV import"). The statements are GRDB's cached ones, so both ways run the same prepared statement. Without a
/// `PreparedWrites` (every other write), `ClientRecords` and `EventLog` ask the cache as before.
final class PreparedWrites {
    /// A statement run once a record, or for a batch of records: its table and columns are here, and only here.
    enum Kind: Int, CaseIterable {
        case insertClient, insertContact, insertActivity, insertTask, insertMemory, appendEvent

        /// The table written.
        var table: String {
            switch self {
            case .insertClient: "clients"
            case .insertContact: "contacts"
            case .insertActivity: "activities"
            case .insertTask: "tasks"
            case .insertMemory: "client_memory"
            case .appendEvent: "events"
            }
        }

        /// The columns a record binds, in order.
        var columns: String {
            switch self {
            case .insertClient:
                """
                name, external_id, industry, tier, monthly_budget, currency, owner_id, domain, consent_ai_analysis, \
                consent_training, lifecycle, lead_status, renewal_date, updated_at, id, created_at
                """
            case .insertContact: "client_id, external_id, name, email, phone, title, role"
            case .insertActivity: "client_id, contact_id, external_id, kind, direction, occurred_at, subject, body, sentiment"
            case .insertTask: "client_id, external_id, title, due, status, priority, assignee"
            case .insertMemory: "kind, value, source, confidence, updated_at, client_id, key"
            case .appendEvent: "kind, client_id, subject_id, payload, occurred_at"
            }
        }

        /// The one-record statement: an insert that leaves a stored key's row alone (the upserts then update it).
        var sql: String {
            let conflict =
                switch self {
                case .insertContact, .insertActivity, .insertTask: " ON CONFLICT(external_id) DO NOTHING"
                case .insertMemory: " ON CONFLICT(client_id, key) DO NOTHING"
                case .insertClient, .appendEvent: ""
                }
            return "INSERT INTO \(table) (\(columns)) VALUES \(row)" + conflict
        }

        /// A plain insert of `count` records (`ClientRecords+Batches`): a stored key fails it whole.
        func sql(rows count: Int) -> String {
            "INSERT INTO \(table) (\(columns)) VALUES \(String(repeating: row + ", ", count: count - 1))\(row)"
        }

        /// One record's placeholders.
        private var row: String { "(" + String(repeating: "?, ", count: columns.split(separator: ",").count - 1) + "?)" }

        /// The statement in `db`: from `prepared` when given, else from GRDB's cache.
        func statement(_ db: Database, _ prepared: PreparedWrites?) throws -> Statement {
            guard let prepared else { return try db.cachedStatement(sql: sql) }
            if let statement = prepared.statements[rawValue] { return statement }
            let statement = try db.cachedStatement(sql: sql)
            prepared.statements[rawValue] = statement
            return statement
        }
    }

    private var statements = [Statement?](repeating: nil, count: Kind.allCases.count)
    /// Each kind's insert of 1 to `ClientRecords.rowsAStatement` records, by `kind.rawValue * rowsAStatement + count - 1`.
    private var batchStatements = [Statement?](repeating: nil, count: Kind.allCases.count * ClientRecords.rowsAStatement)

    /// The insert of `count` records of `kind` (`ClientRecords+Batches`), prepared once an import and then taken by its
    /// place: making its text and hashing it for GRDB's cache (64 rows of placeholders are some 3 kB) was 5% of the
    /// writing thread.
    func batch(_ kind: Kind, rows count: Int, in db: Database) throws -> Statement {
        precondition((1...ClientRecords.rowsAStatement).contains(count), "a batch statement holds 1 to \(ClientRecords.rowsAStatement) rows")
        let place = kind.rawValue * ClientRecords.rowsAStatement + count - 1
        if let statement = batchStatements[place] { return statement }
        let statement = try db.cachedStatement(sql: kind.sql(rows: count))
        batchStatements[place] = statement
        return statement
    }
}
