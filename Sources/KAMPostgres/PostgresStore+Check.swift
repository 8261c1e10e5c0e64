import KAMCore
import PostgresNIO

extension PostgresStore {
    /// Checks the whole store (`StoreCheck`, `kam db check --url`) in one `REPEATABLE READ READ ONLY` transaction:
    ///
    /// - integrity: constraints PostgreSQL has not validated (`NOT VALID`, so rows before them were never checked)
    ///   and indexes it marks invalid (a `CREATE INDEX CONCURRENTLY` that failed) — PostgreSQL has no
    ///   `integrity_check`; its pages are checksummed by the server when the cluster was made with them;
    /// - orphans: for every foreign key, the rows whose key is set and names no row of the parent table (none while
    ///   the constraint holds: the check proves it rather than assumes it), with the row's `id` when it has one;
    /// - every table's rows, and the migrations applied against `PostgresSchema.migrations`.
    public func check() throws -> StoreCheck {
        try transaction(readOnly: true) { session in
            let doing = "checking the store"
            var integrity: [String] = []
            for row in try session.query(
                """
                SELECT format('constraint %s on %s is NOT VALID: rows older than it were never checked; run ALTER TABLE %s VALIDATE CONSTRAINT %s',
                              c.conname, t.relname, t.relname, c.conname)
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = current_schema() AND NOT c.convalidated
                UNION ALL
                SELECT format('index %s on %s is not valid; rebuild it with REINDEX INDEX %s', ic.relname, t.relname, ic.relname)
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = current_schema() AND NOT i.indisvalid
                """, doing: doing
            ).rows {
                integrity.append(try row.decode(String.self))
            }

            let keys = try PostgresForeignKey.all(session, doing: doing)
            let tables = try session.query(
                """
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1
                """, doing: doing
            ).rows.map { try $0.decode(String.self) }
            let withID = Set(
                try session.query(
                    """
                    SELECT table_name::text FROM information_schema.columns
                    WHERE table_schema = current_schema() AND column_name = 'id' AND data_type = 'bigint'
                    """, doing: doing
                ).rows.map { try $0.decode(String.self) })

            var orphans: [StoreCheck.Orphan] = []
            var orphanCount = 0
            for key in keys {
                let child = PostgresTableLoader.quoted(key.table)
                let set = key.columns.map { "c.\(PostgresTableLoader.quoted($0.child)) IS NOT NULL" }.joined(separator: " AND ")
                let matches = key.columns.map { "p.\(PostgresTableLoader.quoted($0.parent)) = c.\(PostgresTableLoader.quoted($0.child))" }
                    .joined(separator: " AND ")
                let missing = "FROM \(child) c WHERE \(set) AND NOT EXISTS (SELECT 1 FROM \(PostgresTableLoader.quoted(key.parent)) p WHERE \(matches))"
                let count = try session.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) \(missing)"), doing: doing)
                    .rows.first?.decode(Int64.self) ?? 0
                guard count > 0 else { continue }
                orphanCount += Int(count)
                let room = StoreCheck.orphanLimit - orphans.count
                guard room > 0 else { continue }
                let ids: [Int64?] = withID.contains(key.table)
                    ? try session.query(PostgresQuery(unsafeSQL: "SELECT c.id \(missing) ORDER BY c.id LIMIT \(room)"), doing: doing)
                        .rows.map { try $0.decode(Int64.self) }
                    : Array(repeating: nil, count: min(room, Int(count)))
                orphans += ids.map { StoreCheck.Orphan(table: key.table, rowID: $0, parent: key.parent) }
            }

            var counts: [StoreCheck.TableRows] = []
            for table in tables {
                let rows = try session.query(
                    PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(PostgresTableLoader.quoted(table))"), doing: doing
                ).rows.first?.decode(Int64.self) ?? 0
                counts.append(StoreCheck.TableRows(table: table, rows: Int(rows)))
            }
            let applied = try session.query(
                PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(PostgresSchema.migrationsTable)"), doing: doing
            ).rows.first?.decode(Int64.self) ?? 0
            return StoreCheck(
                integrity: integrity, orphans: orphans, orphanCount: orphanCount, tables: counts,
                appliedMigrations: Int(applied), knownMigrations: PostgresSchema.migrations.count)
        }
    }
}
