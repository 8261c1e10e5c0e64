import Foundation
import GRDB
import KAMCore

/// A user's account and, for a manager with a team, the ids of that team's users (the manager's own included):
/// everything an access scope is made of, read in one transaction.
public struct UserMembership: Sendable, Hashable {
    public var account: UserAccount
    /// The team's user ids when the account is a manager with a team; empty otherwise.
    public var teamMemberIDs: Set<String>

    public init(account: UserAccount, teamMemberIDs: Set<String> = []) {
        self.account = account
        self.teamMemberIDs = teamMemberIDs
    }

    /// The columns `account(_:at:)` reads, in its order.
    static let accountColumns = "id, name, email, team, role, disabled_at"

    /// `accountColumns` of the users table aliased `u` (`u.id, u.name, ...`), for a join; made once, since the
    /// key and session checks of every request put it in their statement's text.
    static let joinedAccountColumns = accountColumns.split(separator: ", ").map { "u." + $0 }.joined(separator: ", ")

    /// The account in `row` from `offset` on, its columns in the order of `accountColumns`.
    static func account(_ row: Row, at offset: Int) -> UserAccount {
        UserAccount(
            id: row[offset], name: row[offset + 1], email: row[offset + 2], team: row[offset + 3],
            role: UserRole(rawValue: row[offset + 4] ?? "") ?? .member,
            disabledAt: (row[offset + 5] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// The membership of `account`, inside the caller's transaction: a manager's team is read here.
    static func of(_ account: UserAccount, _ db: Database) throws -> UserMembership {
        guard account.role == .manager, let team = account.team else { return UserMembership(account: account) }
        let members = try String.fetchSet(db.cachedStatement(sql: "SELECT id FROM users WHERE team = ?"), arguments: [team])
        return UserMembership(account: account, teamMemberIDs: members)
    }
}

extension UserRepository {
    /// The membership of the user whose id (else email, any case) is `idOrEmail`, or nil when no user has it;
    /// one read transaction.
    public func membership(named idOrEmail: String) throws -> UserMembership? {
        try store.writer.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT \(UserMembership.accountColumns) FROM users WHERE id = ?1
                        UNION ALL SELECT \(UserMembership.accountColumns) FROM users WHERE email = ?1 COLLATE NOCASE
                        LIMIT 1
                        """),
                arguments: .storing([idOrEmail]))
            return try row.map { try UserMembership.of(UserMembership.account($0, at: 0), db) }
        }
    }
}
