import Foundation
import KAMCore
import KAMStore

/// API keys of `kam serve`: created for a user (the plaintext shown once, only its hash stored, optionally
/// expiring), listed (never their values), revoked, and verified by the server.
public struct APIKeyService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any APIKeyStoring { runtime.apiKeyStore }

    /// A new key for `userID`, working for `expiresIn` seconds (nil: until revoked); the plaintext is returned
    /// once and never stored. Users make their own keys; only an admin (or a local run) makes one for another.
    /// - Throws: `RoleRefusal` for a key of another user made by a non-admin; `RuntimeError` `.notFound`
    ///   (`user.not-found`), `.wrongState` (`user.disabled`), `.invalidInput` (`auth.invalid-expiry`) for a
    ///   lifetime that is not positive.
    public func create(for userID: String, expiresIn: TimeInterval? = nil, as user: ActingUser) throws
        -> (key: APIKey, plaintext: String)
    {
        if user.id != userID { try runtime.requireAdmin(user, for: "creating a key for another user") }
        let account = try UserService(runtime: runtime).account(userID)
        guard !account.isDisabled else {
            throw RuntimeError(
                .wrongState, code: "user.disabled", "user '\(userID)' is disabled; a disabled user gets no keys")
        }
        if let expiresIn, !(expiresIn > 0) {
            throw RuntimeError(
                .invalidInput, code: "auth.invalid-expiry", "a key's lifetime must be positive (e.g. --expires-in 30d)")
        }
        let now = runtime.now()
        return try repository.create(userID: userID, now: now, expiresAt: expiresIn.map { now.addingTimeInterval($0) })
    }

    /// Keys, optionally only one user's.
    public func list(userID: String? = nil) throws -> [APIKey] {
        try repository.list(userID: userID)
    }

    /// Revokes the live key `id`: the key's own user may, or an admin (or a local run without `--user`).
    /// - Throws: `RuntimeError` `.notFound` when no live key has that id, and the same for another user's key
    ///   when `user` is not an admin, so key ids of others are not revealed.
    public func revoke(_ id: String, as user: ActingUser) throws {
        if let userID = user.id, try runtime.scope(for: user).isEverything == false,
            try repository.list(userID: userID).contains(where: { $0.id == id }) == false
        {
            throw RuntimeError(
                .notFound, code: "auth.key-not-found", "no live key of user '\(userID)' has id '\(id)'; `kam keys list --user \(userID)` shows them")
        }
        guard try repository.revoke(id: id, now: runtime.now()) else {
            throw RuntimeError(
                .notFound, code: "auth.key-not-found", "no live key has id '\(id)'; `kam keys list` shows them")
        }
    }

    /// What a presented key is worth, and for a live one the user it acts for, with their access scope.
    public enum Authentication: Sendable, Hashable {
        /// A live key of an enabled user; the user carries their scope.
        case valid(APIKey, ActingUser)
        /// A key past its expiry.
        case expired(APIKey)
        /// Unknown, revoked, or of a disabled user.
        case invalid
    }

    /// Checks a presented key and reads its user's scope with it, in one read transaction: the server asks this
    /// once a request and hands the user (scope included) to every service the request calls.
    ///
    /// A live key is kept (by its hash, in `Runtime.verifiedKeys`) while nothing is committed to the store, so the
    /// next request with it reads nothing; a revocation, a disabled user or a changed role or team is a commit, and
    /// the expiry is checked on every request.
    public func authenticate(_ plaintext: String) throws -> Authentication {
        // The version before the read: what is kept is never older than the version it is kept with.
        let version = try runtime.storage.dataVersion()
        let hash = SecretToken.hash(plaintext)
        if let version, let kept = runtime.verifiedKeys.value(hash, version: version) {
            return kept.key.isExpired(at: runtime.now()) ? .expired(kept.key) : .valid(kept.key, kept.user)
        }
        switch try repository.authenticate(plaintext) {
        case .valid(let key, let membership):
            let user = ActingUser(key.userID, scope: AccessScope(of: membership, named: key.userID))
            if let version { runtime.verifiedKeys.store(VerifiedKey(key: key, user: user), for: hash, version: version, cost: 1) }
            return .valid(key, user)
        case .expired(let key): return .expired(key)
        case .invalid: return .invalid
        }
    }

    /// A lifetime written as a number and a unit (`30d`, `12h`, `45m`, `90s`), in seconds.
    /// - Throws: `RuntimeError` `.invalidInput` (`auth.invalid-expiry`) naming the text and the accepted forms.
    public static func lifetime(_ text: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let seconds = units[unit], let count = Int(trimmed.dropLast()), count > 0 else {
            throw RuntimeError(
                .invalidInput, code: "auth.invalid-expiry",
                "--expires-in '\(text)' is not a lifetime; give a positive number and a unit: 30d, 12h, 45m or 90s")
        }
        return Double(count) * seconds
    }
}
