import Foundation
import KAMCore
import PostgresNIO

/// The HTTP server's API keys in PostgreSQL: `APIKeyRepository` of the SQLite store, shared by every process.
///
/// Across processes: creating a key reads its user `FOR SHARE`, so a user disabled by another process at the same
/// moment either gets no key or has it stopped with them (disabling waits for the lock); revoking is a
/// compare-and-set (`revoked_at IS NULL`, `PostgresStore.stamp`), so of two processes revoking one key exactly one
/// does. Nothing is cached: every check is one read of the key and its user, so a key revoked or a user disabled
/// through any process is refused by the next check of every other.
///
/// For example:
///
///     let keys = PostgresAPIKeyStore(store: store)
///     let (key, plaintext) = try keys.create(userID: "ana", now: Date(), expiresAt: nil)
///     try keys.verify(plaintext)?.id == key.id   // true
public struct PostgresAPIKeyStore: APIKeyStoring {
    public let store: PostgresStore
    /// The clock expiry is judged at (the SQLite store's `now`); injected for tests.
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func create(userID: String, now: Date, expiresAt: Date?) throws -> (key: APIKey, plaintext: String) {
        let (key, plaintext) = SecretToken.newKey(userID: userID, now: now, expiresAt: expiresAt)
        try store.transaction(readOnly: false) { session in
            let user = try session.query(
                "SELECT disabled_at FROM users WHERE id = \(userID) FOR SHARE", doing: "reading user \(userID)"
            ).rows.first
            guard let user, try user.decode(Double?.self) == nil else {
                throw Self.refusal(userID: userID, exists: user != nil)
            }
            try session.query(
                """
                INSERT INTO api_keys (id, user_id, key_hash, created_at, revoked_at, expires_at)
                VALUES (\(key.id), \(userID), \(SecretToken.hash(plaintext)), \(now.timeIntervalSince1970), NULL,
                    \(expiresAt?.timeIntervalSince1970))
                """, doing: "creating a key for user \(userID)")
            try PostgresEventLog.append(session, .keyCreated(id: key.id, userID: userID, expiresAt: expiresAt, at: now))
        }
        return (key, plaintext)
    }

    public func authenticate(_ plaintext: String) throws -> APIKeyAuthentication {
        guard plaintext.hasPrefix(APIKey.prefix) else { return .invalid }
        let hash = SecretToken.hash(plaintext)
        let found = try store.transaction(readOnly: true) { session -> (APIKey, UserMembership)? in
            guard
                let row = try session.query(
                    """
                    SELECT k.id, k.created_at, k.expires_at, \(unescaped: PostgresAccessRows.joinedAccountColumns)
                    FROM api_keys k JOIN users u ON u.id = k.user_id
                    WHERE k.key_hash = \(hash) AND k.revoked_at IS NULL AND u.disabled_at IS NULL
                    """, doing: "checking an API key"
                ).rows.first
            else { return nil }
            let cells = row.makeRandomAccess()
            let account = try PostgresAccessRows.account(cells, at: 3)
            let key = APIKey(
                id: try cells[0].decode(String.self), userID: account.id,
                createdAt: Date(timeIntervalSince1970: try cells[1].decode(Double.self)),
                expiresAt: try cells[2].decode(Double?.self).map(Date.init(timeIntervalSince1970:)))
            return (key, try PostgresAccessRows.membership(of: account, session))
        }
        return APIKeyAuthentication(found, now: now())
    }

    public func list(userID: String?) throws -> [APIKey] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT id, user_id, created_at, revoked_at, expires_at FROM api_keys
                WHERE (\(userID)::text IS NULL OR user_id = \(userID))
                ORDER BY created_at DESC, id
                """, doing: "listing API keys"
            ).rows.map { row in
                let (id, user, created, revoked, expires) = try row.decode((String, String, Double, Double?, Double?).self)
                return APIKey(
                    id: id, userID: user, createdAt: Date(timeIntervalSince1970: created),
                    revokedAt: revoked.map(Date.init(timeIntervalSince1970:)),
                    expiresAt: expires.map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    @discardableResult
    public func revoke(id: String, now: Date) throws -> Bool {
        try store.stamp("revoked_at", of: "api_keys", where: "id", is: id, now: now, event: .keyRevoked(id: id, at: now))
    }
}
