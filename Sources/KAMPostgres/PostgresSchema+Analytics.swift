/// The daily analytics snapshots (`analytics_snapshots`, `analytics_snapshot_days`), as on SQLite, with PostgreSQL's
/// types.
///
/// A catch-up migration (see `PostgresMigration`): it creates the tables as SQLite's `analytics-snapshots-v1` left
/// them, keyed by (metric, day, dimension, owner_id) with the index by day (SQLite's table is `WITHOUT ROWID`, so its
/// rows are kept in that key's order; here the primary key's index serves the same range reads). That migration's
/// index on `events` came with `postgres-events-v1`.
extension PostgresSchema {
    static let analyticsMigrations: [PostgresMigration] = [
        PostgresMigration(
            "postgres-analytics-v1",
            [
                """
                CREATE TABLE analytics_snapshots (
                    metric TEXT COLLATE "C" NOT NULL,
                    day TEXT COLLATE "C" NOT NULL,
                    owner_id TEXT COLLATE "C" NOT NULL DEFAULT '',
                    dimension TEXT COLLATE "C" NOT NULL DEFAULT '',
                    value DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (metric, day, dimension, owner_id)
                )
                """,
                "CREATE INDEX analytics_snapshots_by_day ON analytics_snapshots (day)",
                """
                CREATE TABLE analytics_snapshot_days (
                    day TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                    taken_at DOUBLE PRECISION NOT NULL,
                    rows BIGINT NOT NULL
                )
                """,
            ])
    ]
}
