import Foundation
import KAMCore
import PostgresNIO

/// Users with their roles, and teams, in PostgreSQL: `UserRepository` of the SQLite store, shared by every process.
///
/// Across processes: a user and a team are added with `INSERT … ON CONFLICT DO NOTHING` on their keys (the
/// primary keys, and the unique index on `lower(email)`), so of two processes adding the same id or email at once
/// exactly one inserts and the other, after waiting for the first's commit, reads who holds it and is refused with
/// SQLite's `StoreError`. Disabling is a compare-and-set (`disabled_at IS NULL`, `PostgresStore.stamp`). Every
/// write appends its event in its transaction (`PostgresEventLog`).
///
/// For example:
///
///     let users = PostgresUserStore(store: store)
///     try users.add(UserAccount(id: "ana", name: "Ana Lima", email: "ana@example.com"))
///     try users.membership(named: "ANA@example.com")?.account.id   // "ana"
public struct PostgresUserStore: UserStoring {
    public let store: PostgresStore
    /// The time stamped on events that have no time of their own (a time zone set); injected for tests.
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func add(_ account: UserAccount) throws {
        try store.transaction(readOnly: false) { session in
            let inserted = try session.query(
                """
                INSERT INTO users (id, name, email, team, role, time_zone, disabled_at)
                VALUES (\(account.id), \(account.name), \(account.email), \(account.team), \(account.role.rawValue),
                    \(account.timeZone), NULL)
                ON CONFLICT DO NOTHING RETURNING id
                """, doing: "adding user \(account.id)")
            guard !inserted.rows.isEmpty else {
                let holder = try session.query(
                    """
                    SELECT id FROM users WHERE id = \(account.id) OR lower(email) = lower(\(account.email)::text COLLATE "C")
                    ORDER BY id = \(account.id) DESC LIMIT 1
                    """, doing: "reading who holds user \(account.id)'s id or email"
                ).rows.first?.decode(String.self)
                throw Self.taken(account, by: holder ?? account.id)
            }
            try PostgresEventLog.append(
                session, .userAdded(id: account.id, team: account.team, role: account.role.rawValue, at: now()))
        }
    }

    public func accounts() throws -> [UserAccount] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT \(unescaped: PostgresAccessRows.userColumns) FROM users ORDER BY id", doing: "reading the users"
            ).rows.map(PostgresAccessRows.user)
        }
    }

    public func account(id: String) throws -> UserAccount? {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT \(unescaped: PostgresAccessRows.userColumns) FROM users WHERE id = \(id)",
                doing: "reading user \(id)"
            ).rows.first.map(PostgresAccessRows.user)
        }
    }

    public func membership(named idOrEmail: String) throws -> UserMembership? {
        try store.transaction(readOnly: true) { session in
            try Self.account(named: idOrEmail, enabledOnly: false, extra: "", session).map {
                try PostgresAccessRows.membership(of: PostgresAccessRows.account($0.makeRandomAccess(), at: 0), session)
            }
        }
    }

    /// The row (`accountColumns`, then `extra`) of the user whose id, else email in any case, is `idOrEmail`.
    static func account(named idOrEmail: String, enabledOnly: Bool, extra: String, _ session: PostgresSession) throws
        -> PostgresRow?
    {
        try session.query(
            """
            SELECT \(unescaped: PostgresAccessRows.accountColumns + extra) FROM users
            WHERE (id = \(idOrEmail) OR lower(email) = lower(\(idOrEmail)::text COLLATE "C"))
                \(unescaped: enabledOnly ? "AND disabled_at IS NULL" : "")
            ORDER BY id = \(idOrEmail) DESC LIMIT 1
            """, doing: "reading user \(idOrEmail)"
        ).rows.first
    }

    public func ownedClientCounts() throws -> [String: Int] {
        try store.transaction(readOnly: true) { session in
            var counts: [String: Int] = [:]
            for row in try session.query(
                "SELECT owner_id, COUNT(*) FROM clients WHERE owner_id IS NOT NULL GROUP BY owner_id",
                doing: "counting the clients each user owns"
            ).rows {
                let (owner, count) = try row.decode((String, Int64).self)
                counts[owner] = Int(count)
            }
            return counts
        }
    }

    public func memberIDs(team: String) throws -> Set<String> {
        try store.transaction(readOnly: true) { session in
            Set(
                try session.query("SELECT id FROM users WHERE team = \(team)", doing: "reading the members of \(team)")
                    .rows.map { try $0.decode(String.self) })
        }
    }

    @discardableResult
    public func setTimeZone(id: String, _ zone: String?) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            let changed = try session.query(
                "UPDATE users SET time_zone = \(zone) WHERE id = \(id)", doing: "setting user \(id)'s time zone"
            ).metadata.rows ?? 0
            guard changed > 0 else { return false }
            try PostgresEventLog.append(session, .userUpdated(id: id, fields: ["time_zone"], at: now()))
            return true
        }
    }

    @discardableResult
    public func setRole(id: String, _ role: UserRole) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            let changed = try session.query(
                "UPDATE users SET role = \(role.rawValue) WHERE id = \(id) AND role <> \(role.rawValue)",
                doing: "setting user \(id)'s role"
            ).metadata.rows ?? 0
            guard changed > 0 else { return false }
            try PostgresEventLog.append(session, .userUpdated(id: id, fields: ["role"], at: now()))
            return true
        }
    }

    @discardableResult
    public func disable(id: String, now: Date) throws -> Bool {
        try store.stamp("disabled_at", of: "users", where: "id", is: id, now: now, event: .userDisabled(id: id, at: now))
    }

    public func addTeam(_ team: Team) throws {
        try store.transaction(readOnly: false) { session in
            let inserted = try session.query(
                """
                INSERT INTO teams (id, name, created_at) VALUES (\(team.id), \(team.name), \(team.createdAt.timeIntervalSince1970))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, doing: "adding team \(team.id)")
            guard !inserted.rows.isEmpty else { throw Self.teamTaken(team.id) }
            try PostgresEventLog.append(session, .teamAdded(id: team.id, at: team.createdAt))
        }
    }

    public func teams() throws -> [Team] {
        try store.transaction(readOnly: true) { session in
            try session.query("SELECT id, name, created_at FROM teams ORDER BY id", doing: "reading the teams").rows.map {
                let (id, name, created) = try $0.decode((String, String, Double).self)
                return Team(id: id, name: name, createdAt: Date(timeIntervalSince1970: created))
            }
        }
    }
}
