import Foundation
import GRDB
import KAMCore

/// Users' passwords and the web page's sessions: a session is started for a user, found again by its token (one
/// indexed read of the session and its user, so a disabled user is signed out at once), and ended.
public struct WebSessionRepository: WebSessionStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// The prefix of a session token (the cookie's value), recognisable in logs and scanners.
    public static let prefix = WebSession.prefix

    /// Sets (or, with nil, removes) the password of user `userID`; returns false when no user has that id.
    @discardableResult
    public func setPassword(userID: String, encodedHash: String?, now: Date) throws -> Bool {
        try store.writer.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [encodedHash, userID])
            guard db.changesCount > 0 else { return false }
            try EventLog.append(db, .userPasswordSet(id: userID, removed: encodedHash == nil, at: now))
            return true
        }
    }

    /// The enabled user whose id (else email, any case) is `idOrEmail`, with their membership and stored password
    /// hash (nil when they have none); nil when there is no such enabled user.
    public func credentials(named idOrEmail: String) throws -> (membership: UserMembership, passwordHash: String?)? {
        try store.writer.read { db in
            let columns = UserMembership.accountColumns + ", password_hash"
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(columns) FROM users WHERE id = ?1 AND disabled_at IS NULL
                        UNION ALL SELECT \(columns) FROM users WHERE email = ?1 COLLATE NOCASE AND disabled_at IS NULL
                        LIMIT 1
                        """,
                    arguments: [idOrEmail])
            else { return nil }
            return (try UserMembership.of(UserMembership.account(row, at: 0), db), row[6])
        }
    }

    /// Starts a session of `userID` until `expiresAt`, removing the sessions that have ended; the token (the
    /// cookie's value) is returned here only.
    public func start(userID: String, now: Date, expiresAt: Date) throws -> (session: WebSession, token: String) {
        let (session, token) = SecretToken.newSession(userID: userID, now: now, expiresAt: expiresAt)
        try store.writer.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: """
                    INSERT INTO web_sessions (id, user_id, token_hash, csrf_token, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, userID, SecretToken.hash(token), session.csrfToken, now.timeIntervalSince1970,
                    expiresAt.timeIntervalSince1970,
                ])
            try EventLog.append(db, .sessionStarted(id: session.id, userID: userID, expiresAt: expiresAt, at: now))
        }
        return (session, token)
    }

    /// The live session `token` names and its user's membership, read together; nil when the token is unknown, the
    /// session has ended (at the store's clock) or its user is disabled.
    public func authenticate(_ token: String) throws -> (session: WebSession, membership: UserMembership)? {
        guard token.hasPrefix(Self.prefix) else { return nil }
        let now = store.now()
        return try store.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT s.id, s.csrf_token, s.created_at, s.expires_at, \(UserMembership.joinedAccountColumns) FROM web_sessions s
                            JOIN users u ON u.id = s.user_id
                            WHERE s.token_hash = ? AND u.disabled_at IS NULL
                            """),
                    arguments: [SecretToken.hash(token)])
            else { return nil }
            let account = UserMembership.account(row, at: 4)
            let session = WebSession(
                id: row[0], userID: account.id, csrfToken: row[1], createdAt: Date(timeIntervalSince1970: row[2]),
                expiresAt: Date(timeIntervalSince1970: row[3]))
            guard session.expiresAt > now else { return nil }
            return (session, try UserMembership.of(account, db))
        }
    }

    /// A random token for a form submitted before there is a session (the sign-in form's double submit).
    public static func formToken() -> String {
        SecretToken.randomHex(bytes: 16)
    }

    /// Ends the session `token` names; returns false when there is none.
    @discardableResult
    public func end(_ token: String, now: Date) throws -> Bool {
        try store.writer.write { db in
            guard
                let id = try String.fetchOne(
                    db, sql: "DELETE FROM web_sessions WHERE token_hash = ? RETURNING id",
                    arguments: [SecretToken.hash(token)])
            else { return false }
            try EventLog.append(db, .sessionEnded(id: id, at: now))
            return true
        }
    }

}
