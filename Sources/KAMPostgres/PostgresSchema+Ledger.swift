/// The budget ledger and the usage ledger, as on SQLite (`KAMSchema+Ledger.swift`), with PostgreSQL's types.
///
/// Money is BIGINT picodollars (sums are cast back from NUMERIC), times DOUBLE PRECISION Unix seconds as
/// SQLite's REAL, so a value read from either store is the same `Date`. CHECK constraints are named, so a
/// later migration changes them in place where SQLite had to rebuild the table.
extension PostgresSchema {
    static let ledgerMigrations: [PostgresMigration] = [
        PostgresMigration(
            "ledger-v1",
            [
                """
                CREATE TABLE budgets (
                    id TEXT PRIMARY KEY,
                    scope_kind TEXT NOT NULL
                        CONSTRAINT budgets_scope_kind CHECK (scope_kind IN ('global','user','team','client','prompt')),
                    scope_value TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period IN ('day','month','total')),
                    amount_picousd BIGINT NOT NULL CHECK (amount_picousd >= 0),
                    UNIQUE (scope_kind, scope_value, period)
                )
                """,
                """
                CREATE TABLE budget_reservations (
                    id TEXT PRIMARY KEY,
                    user_id TEXT,
                    team_id TEXT,
                    client_id TEXT,
                    prompt_id TEXT,
                    model TEXT NOT NULL,
                    amount_picousd BIGINT NOT NULL CHECK (amount_picousd >= 0),
                    created_at DOUBLE PRECISION NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL,
                    budget_ids TEXT NOT NULL DEFAULT '[]',
                    state TEXT NOT NULL
                        CONSTRAINT budget_reservations_state CHECK (state IN ('reserved','settled','released')),
                    cost_picousd BIGINT
                )
                """,
                "CREATE INDEX budget_reservations_by_time ON budget_reservations (created_at, state)",
                "CREATE INDEX budget_reservations_by_user ON budget_reservations (user_id, created_at)",
                "CREATE INDEX budget_reservations_by_team ON budget_reservations (team_id, created_at)",
                "CREATE INDEX budget_reservations_by_client ON budget_reservations (client_id, created_at)",
                "CREATE INDEX budget_reservations_by_prompt ON budget_reservations (prompt_id, created_at)",
                """
                CREATE TABLE model_calls (
                    id TEXT PRIMARY KEY,
                    called_at DOUBLE PRECISION NOT NULL,
                    user_id TEXT,
                    team_id TEXT,
                    client_id TEXT,
                    prompt_id TEXT,
                    prompt_version TEXT,
                    prompt_hash TEXT,
                    provider TEXT NOT NULL,
                    requested_model TEXT NOT NULL,
                    answered_model TEXT,
                    attempts BIGINT NOT NULL,
                    input_tokens BIGINT NOT NULL,
                    output_tokens BIGINT NOT NULL,
                    cached_input_tokens BIGINT NOT NULL,
                    cache_creation_input_tokens BIGINT NOT NULL,
                    cost_picousd BIGINT,
                    latency_ms BIGINT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','refused')),
                    error_code TEXT,
                    offline BOOLEAN NOT NULL
                )
                """,
                "CREATE INDEX model_calls_by_time ON model_calls (called_at)",
            ]),
        // Reservation leases: the `abandoned` state and a partial index of the reserved rows.
        PostgresMigration(
            "ledger-v2-abandoned-reservations",
            [
                "ALTER TABLE budget_reservations DROP CONSTRAINT budget_reservations_state",
                """
                ALTER TABLE budget_reservations ADD CONSTRAINT budget_reservations_state
                    CHECK (state IN ('reserved','settled','released','abandoned'))
                """,
                "CREATE INDEX budget_reservations_reserved ON budget_reservations (expires_at) WHERE state = 'reserved'",
            ]),
        // A run's own budget (`run:ID`): the `run` scope kind and the run a reservation is for.
        PostgresMigration(
            "ledger-v3-run-budgets",
            [
                "ALTER TABLE budgets DROP CONSTRAINT budgets_scope_kind",
                """
                ALTER TABLE budgets ADD CONSTRAINT budgets_scope_kind
                    CHECK (scope_kind IN ('global','user','team','client','prompt','run'))
                """,
                "ALTER TABLE budget_reservations ADD COLUMN run_id TEXT",
                """
                CREATE INDEX budget_reservations_by_run ON budget_reservations (run_id, created_at)
                    WHERE run_id IS NOT NULL
                """,
            ]),
    ]
}
