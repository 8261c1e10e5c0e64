import Foundation
import KAMCore
import KAMStore

/// API keys of `kam serve`: created for a user (the plaintext shown once, only its hash stored), listed
/// (never their values), revoked, and verified by the server.
public struct APIKeyService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: APIKeyRepository { APIKeyRepository(store: runtime.store) }

    /// A new key for `userID`; the plaintext is returned once and never stored.
    public func create(for userID: String) throws -> (key: APIKey, plaintext: String) {
        try repository.create(userID: userID, now: runtime.now())
    }

    /// Keys, optionally only one user's.
    public func list(userID: String? = nil) throws -> [APIKey] {
        try repository.list(userID: userID)
    }

    /// Revokes the live key `id`.
    /// - Throws: `RuntimeError` `.notFound` when no live key has that id.
    public func revoke(_ id: String) throws {
        guard try repository.revoke(id: id, now: runtime.now()) else {
            throw RuntimeError(
                .notFound, code: "auth.key-not-found", "no live key has id '\(id)'; `kam serve keys list` shows them")
        }
    }
}
