/// The audit records of training exports, as on SQLite (`KAMSchema+Export.swift`, `export-v1`), with PostgreSQL's
/// types: text `COLLATE "C"`, times DOUBLE PRECISION Unix seconds, JSON documents TEXT.
///
/// The table is here so that `kam db copy` carries a store's export history both ways; `kam export` itself still
/// writes its record into the SQLite file it reads (docs/postgresql.md).
extension PostgresSchema {
    static let exportMigrations: [PostgresMigration] = [
        PostgresMigration(
            "postgres-exports-v1",
            [
                """
                CREATE TABLE exports (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    created_at DOUBLE PRECISION NOT NULL,
                    user_id TEXT COLLATE "C",
                    format TEXT COLLATE "C" NOT NULL,
                    model TEXT COLLATE "C" NOT NULL,
                    status TEXT COLLATE "C" NOT NULL,
                    filters TEXT COLLATE "C" NOT NULL,
                    examples BIGINT NOT NULL,
                    rejected BIGINT NOT NULL,
                    consent_excluded BIGINT NOT NULL,
                    files TEXT COLLATE "C" NOT NULL,
                    key_id TEXT COLLATE "C" NOT NULL,
                    output_directory TEXT COLLATE "C" NOT NULL
                )
                """,
                "CREATE INDEX exports_on_time ON exports (created_at)",
            ]),
    ]
}
