/// Teams, the server's API keys and the web page's sessions, as on SQLite, with PostgreSQL's types.
///
/// A catch-up migration (see `PostgresMigration`): it creates the tables in the state SQLite's migrations left
/// them: `server-api-keys-v1` (api_keys), `access-v1` (teams, api_keys.expires_at; its users columns are in
/// `campaigns-v1` already, and drafts.created_by comes with drafts) and `web-sessions-v1` (web_sessions; the
/// users.password_hash column is in `campaigns-v1`). As `access-v1` does, it adds a team for every team named by a
/// user already there (a database filled by `kam db copy-memory`, the client memory copy of older kams, before this migration). The indexes have GRDB's
/// names (`index_<table>_on_<column>`); key and session hashes are unique, and both reference users with SQLite's
/// `ON DELETE CASCADE`.
extension PostgresSchema {
    static let accessMigrations: [PostgresMigration] = [
        PostgresMigration(
            "postgres-access-v1",
            [
                """
                CREATE TABLE teams (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    name TEXT COLLATE "C" NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL
                )
                """,
                """
                INSERT INTO teams (id, name, created_at)
                SELECT DISTINCT team, team, EXTRACT(EPOCH FROM now())::DOUBLE PRECISION FROM users WHERE team IS NOT NULL
                """,
                """
                CREATE TABLE api_keys (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    key_hash TEXT COLLATE "C" NOT NULL UNIQUE,
                    created_at DOUBLE PRECISION NOT NULL,
                    revoked_at DOUBLE PRECISION,
                    expires_at DOUBLE PRECISION
                )
                """,
                "CREATE INDEX index_api_keys_on_user_id ON api_keys (user_id)",
                """
                CREATE TABLE web_sessions (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    token_hash TEXT COLLATE "C" NOT NULL UNIQUE,
                    csrf_token TEXT COLLATE "C" NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    expires_at DOUBLE PRECISION NOT NULL
                )
                """,
                "CREATE INDEX index_web_sessions_on_user_id ON web_sessions (user_id)",
                "CREATE INDEX index_web_sessions_on_expires_at ON web_sessions (expires_at)",
            ]),
    ]
}
