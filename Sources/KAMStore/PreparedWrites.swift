import GRDB

/// The statements a bulk write runs for every record, prepared once and then taken by their place in a list, for the
/// one transaction of an import (`DatabaseImportSink`): `Database.cachedStatement(sql:)` finds a statement by hashing
/// its whole SQL text, and with a few statements a row that was 3% of a CSV import's writing thread (BENCHMARKS.md
/// "CSV import"). The statements are GRDB's cached ones, so both ways run the same prepared statement. Without a
/// `PreparedWrites` (every other write), `ClientRecords` and `EventLog` ask the cache as before.
final class PreparedWrites {
    /// A statement run once a record: its SQL is here, and only here.
    enum Kind: Int, CaseIterable {
        case insertClient, insertContact, insertActivity, insertTask, insertMemory, appendEvent

        var sql: String {
            switch self {
            case .insertClient:
                """
                INSERT INTO clients (name, external_id, industry, tier, monthly_budget, currency, owner_id, domain,
                consent_ai_analysis, consent_training, lifecycle, lead_status, renewal_date, updated_at, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            case .insertContact:
                """
                INSERT INTO contacts (client_id, external_id, name, email, phone, title, role)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_id) DO NOTHING
                """
            case .insertActivity:
                """
                INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject,
                body, sentiment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_id) DO NOTHING
                """
            case .insertTask:
                """
                INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(external_id) DO NOTHING
                """
            case .insertMemory:
                """
                INSERT INTO client_memory (kind, value, source, confidence, updated_at, client_id, key)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(client_id, key) DO NOTHING
                """
            case .appendEvent:
                "INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)"
            }
        }

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
}
