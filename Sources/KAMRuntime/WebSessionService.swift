import Foundation
import KAMCore
import KAMStore

/// Signing in to the web page: passwords set with `kam users passwd` (scrypt, `PasswordHash`), sessions started with
/// a password or an API key, found again by the cookie's token with the user's access scope, and ended.
public struct WebSessionService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any WebSessionStoring { runtime.webSessionStore }

    /// The shortest password accepted.
    public static let minimumPasswordLength = 12

    /// A signed-in browser: the session (its CSRF token included) and the user it acts for, with their scope.
    public struct SignedIn: Sendable, Hashable {
        public var session: WebSession
        public var user: ActingUser
        /// The user's display name.
        public var name: String
        /// The user's role: what the navigation offers (analytics for managers and admins).
        public var role: UserRole
    }

    /// Sets user `userID`'s password: a user sets their own, an admin (or a local run) anyone's.
    /// - Throws: `RoleRefusal` for another user's password set by a non-admin; `RuntimeError` `.invalidInput`
    ///   (`auth.weak-password`) for a password shorter than 12 characters, `.notFound` (`user.not-found`).
    public func setPassword(for userID: String, to password: String, cost: PasswordHash.Cost = .standard, as user: ActingUser)
        throws
    {
        guard password.count >= Self.minimumPasswordLength else {
            throw RuntimeError(
                .invalidInput, code: "auth.weak-password",
                "a password needs at least \(Self.minimumPasswordLength) characters (got \(password.count)); a phrase of a few words is easiest")
        }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        if user.id != userID { try runtime.requireAdmin(user, for: "setting another user's password") }
        try write(try PasswordHash.make(password: password, salt: salt, cost: cost).encoded, for: userID)
    }

    /// Removes user `userID`'s password (their API keys still work): a user their own, an admin anyone's.
    /// - Throws: `RoleRefusal`; `RuntimeError` `.notFound` (`user.not-found`).
    public func removePassword(for userID: String, as user: ActingUser) throws {
        if user.id != userID { try runtime.requireAdmin(user, for: "removing another user's password") }
        try write(nil, for: userID)
    }

    private func write(_ encodedHash: String?, for userID: String) throws {
        guard try repository.setPassword(userID: userID, encodedHash: encodedHash, now: runtime.now()) else {
            throw RuntimeError(.notFound, code: "user.not-found", "no user has id '\(userID)'; `kam users list` shows them")
        }
    }

    /// Starts a session for the enabled user `name` (id or email) when `password` is theirs.
    /// - Throws: `RuntimeError` `.invalidInput` (`auth.sign-in-failed`), the same for an unknown user, a user without
    ///   a password and a wrong password, so the answer does not reveal which.
    public func signIn(name: String, password: String) throws -> (signedIn: SignedIn, token: String) {
        let found = try repository.credentials(named: name.trimmingCharacters(in: .whitespaces))
        // An unknown user still costs one derivation, so the time taken does not tell that the user does not exist.
        let stored = found?.passwordHash.flatMap(PasswordHash.init(encoded:)) ?? Self.decoy
        guard stored.matches(password), let membership = found?.membership, found?.passwordHash != nil else {
            throw Self.signInFailed
        }
        return try start(membership)
    }

    /// Starts a session for the user of a live API key.
    /// - Throws: `RuntimeError` `.invalidInput` (`auth.sign-in-failed`) for an unknown, revoked or expired key.
    public func signIn(apiKey: String) throws -> (signedIn: SignedIn, token: String) {
        guard case .valid(let key, _) = try runtime.apiKeyStore.authenticate(apiKey),
            let membership = try runtime.userStore.membership(named: key.userID)
        else { throw Self.signInFailed }
        return try start(membership)
    }

    /// The live session of `token` (the cookie's value) and its user, or nil when it is unknown, has ended or its
    /// user was disabled.
    public func authenticate(_ token: String) throws -> SignedIn? {
        guard let (session, membership) = try repository.authenticate(token) else { return nil }
        return Self.signedIn(session, membership)
    }

    /// Ends the session of `token`; nothing happens for an unknown one.
    public func signOut(_ token: String) throws {
        try repository.end(token, now: runtime.now())
    }

    private func start(_ membership: UserMembership) throws -> (signedIn: SignedIn, token: String) {
        let now = runtime.now()
        let (session, token) = try repository.start(
            userID: membership.account.id, now: now,
            expiresAt: now.addingTimeInterval(runtime.configuration.server.sessionHours * 3600))
        return (Self.signedIn(session, membership), token)
    }

    private static func signedIn(_ session: WebSession, _ membership: UserMembership) -> SignedIn {
        let account = membership.account
        return SignedIn(
            session: session, user: ActingUser(account.id, scope: AccessScope(of: membership, named: account.id)),
            name: account.name, role: account.role)
    }

    private static let signInFailed = RuntimeError(
        .invalidInput, code: "auth.sign-in-failed",
        "the name and password (or the API key) do not match a user who may sign in; an admin sets a password with `kam users passwd USER`")

    /// A hash no password matches, checked when the user is unknown (standard cost, so the time is the same).
    private static let decoy = PasswordHash(
        encoded: "$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")!
}
