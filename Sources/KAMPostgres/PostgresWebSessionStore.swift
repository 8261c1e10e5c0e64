import Foundation
import KAMCore
import PostgresNIO

/// Users' passwords and the web page's sessions in PostgreSQL: `WebSessionRepository` of the SQLite store, shared
/// by every process.
///
/// Across processes: a session of a user who does not exist is refused by the foreign key, as on SQLite; a session
/// is ended by one `DELETE … RETURNING` (of two processes ending one session exactly one gets it and appends the
/// event); and nothing is cached: every request reads the session and its user, so a session
/// ended or a user disabled through any process is refused by the next request to every other.
public struct PostgresWebSessionStore: WebSessionStoring {
    public let store: PostgresStore
    /// The clock a session's end is judged at (the SQLite store's `now`); injected for tests.
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    @discardableResult
    public func setPassword(userID: String, encodedHash: String?, now: Date) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            let changed = try session.query(
                "UPDATE users SET password_hash = \(encodedHash) WHERE id = \(userID)",
                doing: "setting user \(userID)'s password"
            ).metadata.rows ?? 0
            guard changed > 0 else { return false }
            try PostgresEventLog.append(session, .userPasswordSet(id: userID, removed: encodedHash == nil, at: now))
            return true
        }
    }

    public func credentials(named idOrEmail: String) throws -> (membership: UserMembership, passwordHash: String?)? {
        try store.transaction(readOnly: true) { session in
            guard
                let row = try PostgresUserStore.account(
                    named: idOrEmail, enabledOnly: true, extra: ", password_hash", session)
            else { return nil }
            let cells = row.makeRandomAccess()
            let account = try PostgresAccessRows.account(cells, at: 0)
            return (try PostgresAccessRows.membership(of: account, session), try cells[6].decode(String?.self))
        }
    }

    public func start(userID: String, now: Date, expiresAt: Date) throws -> (session: WebSession, token: String) {
        let (started, token) = SecretToken.newSession(userID: userID, now: now, expiresAt: expiresAt)
        try store.transaction(readOnly: false) { session in
            try session.query(
                "DELETE FROM web_sessions WHERE expires_at <= \(now.timeIntervalSince1970)",
                doing: "removing ended web sessions")
            try session.query(
                """
                INSERT INTO web_sessions (id, user_id, token_hash, csrf_token, created_at, expires_at)
                VALUES (\(started.id), \(userID), \(SecretToken.hash(token)), \(started.csrfToken),
                    \(now.timeIntervalSince1970), \(expiresAt.timeIntervalSince1970))
                """, doing: "starting a web session of user \(userID)")
            try PostgresEventLog.append(
                session, .sessionStarted(id: started.id, userID: userID, expiresAt: expiresAt, at: now))
        }
        return (started, token)
    }

    public func authenticate(_ token: String) throws -> (session: WebSession, membership: UserMembership)? {
        guard token.hasPrefix(WebSession.prefix) else { return nil }
        let time = self.now()
        return try store.transaction(readOnly: true) { session in
            guard
                let row = try session.query(
                    """
                    SELECT s.id, s.csrf_token, s.created_at, s.expires_at, \(unescaped: PostgresAccessRows.joinedAccountColumns)
                    FROM web_sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = \(SecretToken.hash(token)) AND u.disabled_at IS NULL
                    """, doing: "checking a web session"
                ).rows.first
            else { return nil }
            let cells = row.makeRandomAccess()
            let account = try PostgresAccessRows.account(cells, at: 4)
            let found = WebSession(
                id: try cells[0].decode(String.self), userID: account.id, csrfToken: try cells[1].decode(String.self),
                createdAt: Date(timeIntervalSince1970: try cells[2].decode(Double.self)),
                expiresAt: Date(timeIntervalSince1970: try cells[3].decode(Double.self)))
            guard found.expiresAt > time else { return nil }
            return (found, try PostgresAccessRows.membership(of: account, session))
        }
    }

    @discardableResult
    public func end(_ token: String, now: Date) throws -> Bool {
        try store.transaction(readOnly: false) { session in
            guard
                let id = try session.query(
                    "DELETE FROM web_sessions WHERE token_hash = \(SecretToken.hash(token)) RETURNING id",
                    doing: "ending a web session"
                ).rows.first?.decode(String.self)
            else { return false }
            try PostgresEventLog.append(session, .sessionEnded(id: id, at: now))
            return true
        }
    }
}
