import GRDB
import KAMCore

extension KAMSchema {
    /// Users, teams and roles of the team server: a user's role and whether they are disabled, the teams,
    /// who made a draft (for "members see the drafts they made"), and when an API key stops working.
    static let accessMigrations: [SchemaMigration] = [
        SchemaMigration("access-v1") { db in
            try db.alter(table: "users") { t in
                t.add(column: "role", .text).notNull().defaults(to: UserRole.member.rawValue)
                t.add(column: "disabled_at", .double)
            }
            try db.create(table: "teams") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("created_at", .double).notNull()
            }
            // Teams named by imported users exist from the start, so `kam teams list` shows them.
            try db.execute(
                sql: """
                    INSERT INTO teams (id, name, created_at)
                    SELECT DISTINCT team, team, CAST(strftime('%s', 'now') AS REAL) FROM users WHERE team IS NOT NULL
                    """)
            // The draft's document already records who made it; a generated column makes it filterable
            // without a second copy that could disagree with the document.
            try db.execute(
                sql: """
                    ALTER TABLE drafts ADD COLUMN created_by TEXT
                    GENERATED ALWAYS AS (json_extract(document, '$.createdBy')) VIRTUAL
                    """)
            try db.create(index: "drafts_on_created_by", on: "drafts", columns: ["created_by", "created_at"])
            try db.alter(table: "api_keys") { t in
                t.add(column: "expires_at", .double)
            }
        }
    ]
}
