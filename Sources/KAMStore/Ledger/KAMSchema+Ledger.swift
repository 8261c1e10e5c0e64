import GRDB

/// Tables of the budget ledger and the usage ledger.
///
/// Money is stored as integer picodollars (`*_picousd`), so `SUM` is exact; times are Unix seconds
/// (REAL). `model_calls.cost_picousd` is NULL when the price is unknown — never 0.
extension KAMSchema {
    static let ledgerMigrations: [SchemaMigration] = [
        SchemaMigration("ledger-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE budgets (
                        id TEXT PRIMARY KEY NOT NULL,
                        scope_kind TEXT NOT NULL CHECK (scope_kind IN ('global','user','team','client','prompt')),
                        scope_value TEXT NOT NULL,
                        period TEXT NOT NULL CHECK (period IN ('day','month','total')),
                        amount_picousd INTEGER NOT NULL CHECK (amount_picousd >= 0),
                        UNIQUE (scope_kind, scope_value, period)
                    );
                    CREATE TABLE budget_reservations (
                        id TEXT PRIMARY KEY NOT NULL,
                        user_id TEXT,
                        team_id TEXT,
                        client_id TEXT,
                        prompt_id TEXT,
                        model TEXT NOT NULL,
                        amount_picousd INTEGER NOT NULL CHECK (amount_picousd >= 0),
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        budget_ids TEXT NOT NULL DEFAULT '[]',
                        state TEXT NOT NULL CHECK (state IN ('reserved','settled','released')),
                        cost_picousd INTEGER
                    );
                    CREATE INDEX budget_reservations_by_time ON budget_reservations (created_at, state);
                    CREATE INDEX budget_reservations_by_user ON budget_reservations (user_id, created_at);
                    CREATE INDEX budget_reservations_by_team ON budget_reservations (team_id, created_at);
                    CREATE INDEX budget_reservations_by_client ON budget_reservations (client_id, created_at);
                    CREATE INDEX budget_reservations_by_prompt ON budget_reservations (prompt_id, created_at);
                    CREATE TABLE model_calls (
                        id TEXT PRIMARY KEY NOT NULL,
                        called_at REAL NOT NULL,
                        user_id TEXT,
                        team_id TEXT,
                        client_id TEXT,
                        prompt_id TEXT,
                        prompt_version TEXT,
                        prompt_hash TEXT,
                        provider TEXT NOT NULL,
                        requested_model TEXT NOT NULL,
                        answered_model TEXT,
                        attempts INTEGER NOT NULL,
                        input_tokens INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL,
                        cached_input_tokens INTEGER NOT NULL,
                        cache_creation_input_tokens INTEGER NOT NULL,
                        cost_picousd INTEGER,
                        latency_ms INTEGER NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('success','failure','refused')),
                        error_code TEXT,
                        offline INTEGER NOT NULL
                    );
                    CREATE INDEX model_calls_by_time ON model_calls (called_at);
                    """)
        }
    ]
}

extension KAMSchema {
    /// Reservation leases: the `abandoned` state for a reservation whose lease ended unsettled (a
    /// killed run), and a partial index of the reserved rows so closing expired leases on every
    /// reservation does not read the settled history.
    ///
    /// SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
    static let ledgerLeaseMigrations: [SchemaMigration] = [
        SchemaMigration("ledger-v2-abandoned-reservations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE budget_reservations_v2 (
                        id TEXT PRIMARY KEY NOT NULL,
                        user_id TEXT,
                        team_id TEXT,
                        client_id TEXT,
                        prompt_id TEXT,
                        model TEXT NOT NULL,
                        amount_picousd INTEGER NOT NULL CHECK (amount_picousd >= 0),
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        budget_ids TEXT NOT NULL DEFAULT '[]',
                        state TEXT NOT NULL CHECK (state IN ('reserved','settled','released','abandoned')),
                        cost_picousd INTEGER
                    );
                    INSERT INTO budget_reservations_v2
                        (id, user_id, team_id, client_id, prompt_id, model, amount_picousd, created_at, expires_at,
                         budget_ids, state, cost_picousd)
                    SELECT id, user_id, team_id, client_id, prompt_id, model, amount_picousd, created_at, expires_at,
                        budget_ids, state, cost_picousd
                    FROM budget_reservations;
                    DROP TABLE budget_reservations;
                    ALTER TABLE budget_reservations_v2 RENAME TO budget_reservations;
                    CREATE INDEX budget_reservations_by_time ON budget_reservations (created_at, state);
                    CREATE INDEX budget_reservations_by_user ON budget_reservations (user_id, created_at);
                    CREATE INDEX budget_reservations_by_team ON budget_reservations (team_id, created_at);
                    CREATE INDEX budget_reservations_by_client ON budget_reservations (client_id, created_at);
                    CREATE INDEX budget_reservations_by_prompt ON budget_reservations (prompt_id, created_at);
                    CREATE INDEX budget_reservations_reserved ON budget_reservations (expires_at) WHERE state = 'reserved';
                    """)
        }
    ]
}

extension KAMSchema {
    /// A run's own budget (`run:ID`, a prompt refinement's): the `run` scope kind and the run a reservation is for.
    ///
    /// SQLite cannot change a CHECK constraint in place, so `budgets` is rebuilt with its rows.
    static let ledgerRunMigrations: [SchemaMigration] = [
        SchemaMigration("ledger-v3-run-budgets") { db in
            try db.execute(
                sql: """
                    CREATE TABLE budgets_v3 (
                        id TEXT PRIMARY KEY NOT NULL,
                        scope_kind TEXT NOT NULL CHECK (scope_kind IN ('global','user','team','client','prompt','run')),
                        scope_value TEXT NOT NULL,
                        period TEXT NOT NULL CHECK (period IN ('day','month','total')),
                        amount_picousd INTEGER NOT NULL CHECK (amount_picousd >= 0),
                        UNIQUE (scope_kind, scope_value, period)
                    );
                    INSERT INTO budgets_v3 (id, scope_kind, scope_value, period, amount_picousd)
                    SELECT id, scope_kind, scope_value, period, amount_picousd FROM budgets;
                    DROP TABLE budgets;
                    ALTER TABLE budgets_v3 RENAME TO budgets;
                    ALTER TABLE budget_reservations ADD COLUMN run_id TEXT;
                    CREATE INDEX budget_reservations_by_run ON budget_reservations (run_id, created_at) WHERE run_id IS NOT NULL;
                    """)
        }
    ]
}
