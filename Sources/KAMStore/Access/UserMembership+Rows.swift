import Foundation
import GRDB
import KAMCore

extension UserMembership {
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
        let membership = UserMembership(account: account)
        guard membership.needsTeam, let team = account.team else { return membership }
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
