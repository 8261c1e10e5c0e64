import Foundation

/// The HTTP server's API keys (`kam_` + 32 hex characters): created, verified, listed and revoked.
///
/// Keys are kept by their SHA-256 (`SecretToken.hash`), so verification is one indexed read and the store never
/// holds a usable key. `APIKeyRepository` (KAMStore) keeps them in the SQLite file, `PostgresAPIKeyStore`
/// (KAMPostgres) in PostgreSQL; neither caches anything, so a revocation through one process is seen by the next
/// check of any other.
public protocol APIKeyStoring: Sendable {
    /// Creates a key for `userID`, working until `expiresAt` (nil: until revoked); the plaintext is returned here only.
    /// - Throws: `StoreError` `.invalidValue` when no user has that id or the user is disabled.
    func create(userID: String, now: Date, expiresAt: Date?) throws -> (key: APIKey, plaintext: String)
    /// Checks `plaintext` and reads its user's membership in the same read transaction (expiry at the store's clock).
    func authenticate(_ plaintext: String) throws -> APIKeyAuthentication
    /// Every key of `userID` (all users when nil), newest first.
    func list(userID: String?) throws -> [APIKey]
    /// Revokes a key; returns false when no live key has that id.
    @discardableResult
    func revoke(id: String, now: Date) throws -> Bool
}

extension APIKeyStoring {
    /// Creates a key that works until revoked.
    public func create(userID: String, now: Date) throws -> (key: APIKey, plaintext: String) {
        try create(userID: userID, now: now, expiresAt: nil)
    }

    /// Every key, newest first.
    public func list() throws -> [APIKey] {
        try list(userID: nil)
    }

    /// Checks `plaintext`: one indexed read of the key and its user, so a disabled user's keys stop at once.
    public func check(_ plaintext: String) throws -> APIKeyCheck {
        switch try authenticate(plaintext) {
        case .valid(let key, _): .valid(key)
        case .expired(let key): .expired(key)
        case .invalid: .invalid
        }
    }

    /// The live, unexpired key `plaintext` names, or nil when it is unknown, revoked, expired or its user disabled.
    public func verify(_ plaintext: String) throws -> APIKey? {
        if case .valid(let key) = try check(plaintext) { return key }
        return nil
    }

    /// The refusal of a key for `userID`, who is unknown (`exists` false) or disabled: the one message of both stores.
    public static func refusal(userID: String, exists: Bool) -> StoreError {
        exists
            ? StoreError(.invalidValue, "user '\(userID)' is disabled; a disabled user gets no keys")
            : StoreError(
                .invalidValue, "no user has id '\(userID)'; add the user first (`kam users add`) or pick an existing one")
    }
}
