import Foundation
import GRDB
import KAMCore

/// Creates, verifies and revokes the HTTP server's API keys (`kam_` + 32 hex characters).
///
/// Keys are looked up by their SHA-256 hex digest, so verification is one indexed read and the
/// database never holds a usable key.
public struct APIKeyRepository: APIKeyStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// The prefix every key starts with, so a leaked key is recognisable in logs and scanners.
    public static let prefix = APIKey.prefix

    /// Creates a key for `userID`, working until `expiresAt` (nil: until revoked); the plaintext is returned here only.
    /// - Throws: `StoreError` `.invalidValue` when no user has that id or the user is disabled.
    public func create(userID: String, now: Date, expiresAt: Date?) throws -> (key: APIKey, plaintext: String) {
        let (key, plaintext) = SecretToken.newKey(userID: userID, now: now, expiresAt: expiresAt)
        try store.writer.write { db in
            let user = try Row.fetchOne(db, sql: "SELECT disabled_at FROM users WHERE id = ?", arguments: [userID])
            guard let user, (user["disabled_at"] as Double?) == nil else {
                throw Self.refusal(userID: userID, exists: user != nil)
            }
            try db.execute(
                sql: "INSERT INTO api_keys (id, user_id, key_hash, created_at, revoked_at, expires_at) VALUES (?, ?, ?, ?, NULL, ?)",
                arguments: [key.id, userID, Self.hash(plaintext), now.timeIntervalSince1970, expiresAt?.timeIntervalSince1970])
            try EventLog.append(db, .keyCreated(id: key.id, userID: userID, expiresAt: expiresAt, at: now))
        }
        return (key, plaintext)
    }

    /// Checks `plaintext` and reads its user's membership in the same read transaction: what the server needs
    /// to know about a caller, in one read a request.
    public func authenticate(_ plaintext: String) throws -> APIKeyAuthentication {
        guard plaintext.hasPrefix(Self.prefix) else { return .invalid }
        let hash = Self.hash(plaintext)
        let found = try store.writer.read { db -> (APIKey, UserMembership)? in
            // A cached statement whose columns are read by position: every request of the server runs it.
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT k.id, k.created_at, k.expires_at, \(UserMembership.joinedAccountColumns) FROM api_keys k
                            JOIN users u ON u.id = k.user_id
                            WHERE k.key_hash = ? AND k.revoked_at IS NULL AND u.disabled_at IS NULL
                            """),
                    arguments: [hash])
            else { return nil }
            let account = UserMembership.account(row, at: 3)
            let key = APIKey(
                id: row[0], userID: account.id, createdAt: Date(timeIntervalSince1970: row[1]),
                expiresAt: (row[2] as Double?).map(Date.init(timeIntervalSince1970:)))
            return (key, try UserMembership.of(account, db))
        }
        return APIKeyAuthentication(found, now: store.now())
    }

    /// Every key of `userID` (all users when nil), newest first.
    public func list(userID: String?) throws -> [APIKey] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, user_id, created_at, revoked_at, expires_at FROM api_keys WHERE (? IS NULL OR user_id = ?) "
                    + "ORDER BY created_at DESC, id",
                arguments: [userID, userID]
            ).map(Self.key)
        }
    }

    /// Revokes a key; returns false when no live key has that id.
    @discardableResult
    public func revoke(id: String, now: Date) throws -> Bool {
        try store.stamp("revoked_at", of: "api_keys", where: "id", is: id, now: now, event: .keyRevoked(id: id, at: now))
    }

    /// SHA-256 of the key, lowercase hex.
    public static func hash(_ plaintext: String) -> String {
        SecretToken.hash(plaintext)
    }

    private static func key(_ row: Row) -> APIKey {
        APIKey(
            id: row["id"], userID: row["user_id"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            expiresAt: (row["expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}
