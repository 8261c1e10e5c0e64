import Foundation
import KAMCore
import PostgresNIO

/// Users' accounts and memberships read from PostgreSQL rows, as `UserMembership+Rows.swift` reads them from SQLite's:
/// shared by the user, API key and web session stores.
enum PostgresAccessRows {
    /// The columns `account(_:at:)` reads, in its order (no time zone: a membership's account has none, as on SQLite).
    static let accountColumns = "id, name, email, team, role, disabled_at"

    /// `accountColumns` of the users table aliased `u`, for a join.
    static let joinedAccountColumns = accountColumns.split(separator: ", ").map { "u." + $0 }.joined(separator: ", ")

    /// Every column of a user `account(_:)` reads, in its order.
    static let userColumns = accountColumns + ", time_zone"

    /// The account in `cells` from `offset` on, its columns in the order of `accountColumns` (then, with
    /// `timeZone`, the time zone).
    static func account(_ cells: PostgresRandomAccessRow, at offset: Int, timeZone: Bool = false) throws -> UserAccount {
        let zone: String? = try timeZone ? cells[offset + 6].decode(String?.self) : nil
        let role = try cells[offset + 4].decode(String?.self)
        return UserAccount(
            id: try cells[offset].decode(String.self), name: try cells[offset + 1].decode(String.self),
            email: try cells[offset + 2].decode(String.self), team: try cells[offset + 3].decode(String?.self),
            role: UserRole(rawValue: role ?? "") ?? .member, timeZone: zone,
            disabledAt: try cells[offset + 5].decode(Double?.self).map(Date.init(timeIntervalSince1970:)))
    }

    /// A whole account from a row of `userColumns`.
    static func user(_ row: PostgresRow) throws -> UserAccount {
        try account(row.makeRandomAccess(), at: 0, timeZone: true)
    }

    /// The membership of `account`, inside the caller's transaction: a manager's team is read here.
    static func membership(of account: UserAccount, _ session: PostgresSession) throws -> UserMembership {
        let membership = UserMembership(account: account)
        guard membership.needsTeam, let team = account.team else { return membership }
        let members = try session.query(
            "SELECT id FROM users WHERE team = \(team)", doing: "reading the members of team \(team)"
        ).rows.map { try $0.decode(String.self) }
        return UserMembership(account: account, teamMemberIDs: Set(members))
    }
}
