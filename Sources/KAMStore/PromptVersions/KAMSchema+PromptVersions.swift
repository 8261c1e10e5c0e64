import GRDB

/// The table that makes a used prompt version immutable: its content hash at first use.
extension KAMSchema {
    static let promptVersionMigrations: [SchemaMigration] = [
        SchemaMigration("prompt-versions-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE prompt_versions (
                        prompt_id TEXT NOT NULL,
                        version TEXT NOT NULL,
                        content_hash TEXT NOT NULL,
                        first_used_at REAL NOT NULL,
                        PRIMARY KEY (prompt_id, version)
                    );
                    """)
        }
    ]
}
