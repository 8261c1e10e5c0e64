import Foundation
import GRDB
import KAMCore

/// Users with their roles, and teams: what `kam users`, `kam teams` and the server's access scope read.
public struct UserRepository: UserStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Adds a user; refuses an id or email already taken.
    /// - Throws: `StoreError` `.invalidValue` naming the user that has the id or email.
    public func add(_ account: UserAccount) throws {
        try store.writer.write { db in
            if let other = try Row.fetchOne(
                db, sql: "SELECT id FROM users WHERE id = ? OR email = ? COLLATE NOCASE",
                arguments: [account.id, account.email])
            {
                throw Self.taken(account, by: other["id"])
            }
            try db.execute(
                sql: "INSERT INTO users (id, name, email, team, role, time_zone, disabled_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                arguments: [account.id, account.name, account.email, account.team, account.role.rawValue, account.timeZone])
            try EventLog.append(db, .userAdded(id: account.id, team: account.team, role: account.role.rawValue, at: store.now()))
        }
    }

    /// Every user, by id.
    public func accounts() throws -> [UserAccount] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id").map(Self.account)
        }
    }

    /// The user with exactly this id, if any.
    public func account(id: String) throws -> UserAccount? {
        try store.writer.read { db in
            // Cached: the server's access scope reads it on every request.
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(Self.account)
        }
    }

    /// How many clients each user owns (users owning none are absent).
    public func ownedClientCounts() throws -> [String: Int] {
        try store.writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT owner_id, COUNT(*) AS n FROM clients WHERE owner_id IS NOT NULL GROUP BY owner_id")
            {
                counts[row["owner_id"]] = row["n"]
            }
            return counts
        }
    }

    /// The ids of the users of `team`.
    public func memberIDs(team: String) throws -> Set<String> {
        try store.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM users WHERE team = ?", arguments: [team]))
        }
    }

    /// Sets (or, with nil, clears) a user's time zone; returns false when no user has that id.
    @discardableResult
    public func setTimeZone(id: String, _ zone: String?) throws -> Bool {
        try store.writer.write { db in
            try db.execute(sql: "UPDATE users SET time_zone = ? WHERE id = ?", arguments: [zone, id])
            guard db.changesCount > 0 else { return false }
            try EventLog.append(db, .userUpdated(id: id, fields: ["time_zone"], at: store.now()))
            return true
        }
    }

    @discardableResult
    public func setRole(id: String, _ role: UserRole) throws -> Bool {
        try store.writer.write { db in
            try db.execute(sql: "UPDATE users SET role = ? WHERE id = ? AND role <> ?", arguments: [role.rawValue, id, role.rawValue])
            guard db.changesCount > 0 else { return false }
            try EventLog.append(db, .userUpdated(id: id, fields: ["role"], at: store.now()))
            return true
        }
    }

    /// Disables a user; returns false when no enabled user has that id.
    @discardableResult
    public func disable(id: String, now: Date) throws -> Bool {
        try store.stamp("disabled_at", of: "users", where: "id", is: id, now: now, event: .userDisabled(id: id, at: now))
    }

    /// Adds a team; refuses an id already taken.
    public func addTeam(_ team: Team) throws {
        try store.writer.write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM teams WHERE id = ?", arguments: [team.id]) == nil else {
                throw Self.teamTaken(team.id)
            }
            try db.execute(
                sql: "INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)",
                arguments: [team.id, team.name, team.createdAt.timeIntervalSince1970])
            try EventLog.append(db, .teamAdded(id: team.id, at: team.createdAt))
        }
    }

    /// Every team, by id.
    public func teams() throws -> [Team] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM teams ORDER BY id").map {
                Team(id: $0["id"], name: $0["name"], createdAt: Date(timeIntervalSince1970: $0["created_at"]))
            }
        }
    }

    static func account(_ row: Row) -> UserAccount {
        UserAccount(
            id: row["id"], name: row["name"], email: row["email"], team: row["team"],
            role: UserRole(rawValue: row["role"] ?? "") ?? .member, timeZone: row["time_zone"],
            disabledAt: (row["disabled_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
