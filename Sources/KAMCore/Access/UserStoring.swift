import Foundation

/// Users with their roles, and teams: what `kam users`, `kam teams` and the server's access scope read and write.
///
/// `UserRepository` (KAMStore) keeps them in the SQLite file, `PostgresUserStore` (KAMPostgres) in PostgreSQL;
/// both refuse the same things with the same `StoreError`, and each write appends its event in its transaction.
public protocol UserStoring: Sendable {
    /// Adds a user; refuses an id or email (in any case) already taken, also when another process adds it at once.
    /// - Throws: `StoreError` `.invalidValue` naming the user that has the id or email.
    func add(_ account: UserAccount) throws
    /// Every user, by id.
    func accounts() throws -> [UserAccount]
    /// The user with exactly this id, if any.
    func account(id: String) throws -> UserAccount?
    /// The membership of the user whose id (else email, any case) is `idOrEmail`, or nil; one read transaction.
    func membership(named idOrEmail: String) throws -> UserMembership?
    /// How many clients each user owns (users owning none are absent).
    func ownedClientCounts() throws -> [String: Int]
    /// The ids of the users of `team`.
    func memberIDs(team: String) throws -> Set<String>
    /// Sets (or, with nil, clears) a user's time zone; returns false when no user has that id.
    @discardableResult
    func setTimeZone(id: String, _ zone: String?) throws -> Bool
    /// Sets a user's role, with a `user.updated` event; returns false when no user has that id or the role is
    /// that already (nothing written).
    @discardableResult
    func setRole(id: String, _ role: UserRole) throws -> Bool
    /// Disables a user; returns false when no enabled user has that id.
    @discardableResult
    func disable(id: String, now: Date) throws -> Bool
    /// Adds a team; refuses an id already taken.
    /// - Throws: `StoreError` `.invalidValue`.
    func addTeam(_ team: Team) throws
    /// Every team, by id.
    func teams() throws -> [Team]
}

extension UserStoring {
    /// The team with this id, if any.
    public func team(id: String) throws -> Team? {
        try teams().first { $0.id == id }
    }

    /// The refusal of a user whose id or email is taken by user `holder`: the one message of both stores.
    public static func taken(_ account: UserAccount, by holder: String) -> StoreError {
        StoreError(
            .invalidValue,
            holder == account.id
                ? "a user already has id '\(holder)'; pick another id"
                : "email \(account.email) already belongs to user '\(holder)'; use another email")
    }

    /// The refusal of a team id already taken.
    public static func teamTaken(_ id: String) -> StoreError {
        StoreError(.invalidValue, "a team already has id '\(id)'; `kam teams list` shows them")
    }
}
