import Foundation

/// What a presented API key is worth, and for a live one whom it acts for.
public enum APIKeyAuthentication: Sendable, Hashable {
    /// A live key of an enabled user, with the user's membership (account, and a manager's team).
    case valid(APIKey, UserMembership)
    /// A key past its expiry.
    case expired(APIKey)
    /// Unknown, revoked, or of a disabled user.
    case invalid

    /// `found` (a live key of an enabled user, read with its membership, or nil) judged at `now`.
    public init(_ found: (APIKey, UserMembership)?, now: Date) {
        guard let (key, membership) = found else {
            self = .invalid
            return
        }
        self = key.isExpired(at: now) ? .expired(key) : .valid(key, membership)
    }
}
