import Foundation

/// Users' passwords and the web page's sessions: a session is started for a user, found again by its token (one
/// read of the session and its user, so a disabled user is signed out at once), and ended.
///
/// `WebSessionRepository` (KAMStore) keeps them in the SQLite file, `PostgresWebSessionStore` (KAMPostgres) in
/// PostgreSQL; neither caches anything, so a session ended through one process is refused by any other at once.
public protocol WebSessionStoring: Sendable {
    /// Sets (or, with nil, removes) the password of user `userID`; returns false when no user has that id.
    @discardableResult
    func setPassword(userID: String, encodedHash: String?, now: Date) throws -> Bool
    /// The enabled user whose id (else email, any case) is `idOrEmail`, with their membership and stored password
    /// hash (nil when they have none); nil when there is no such enabled user.
    func credentials(named idOrEmail: String) throws -> (membership: UserMembership, passwordHash: String?)?
    /// Starts a session of `userID` until `expiresAt`, removing the sessions that have ended; the token (the
    /// cookie's value) is returned here only.
    func start(userID: String, now: Date, expiresAt: Date) throws -> (session: WebSession, token: String)
    /// The live session `token` names and its user's membership, read together; nil when the token is unknown, the
    /// session has ended (at the store's clock) or its user is disabled.
    func authenticate(_ token: String) throws -> (session: WebSession, membership: UserMembership)?
    /// Ends the session `token` names; returns false when there is none.
    @discardableResult
    func end(_ token: String, now: Date) throws -> Bool
}
