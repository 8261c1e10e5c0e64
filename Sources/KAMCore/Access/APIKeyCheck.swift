/// What a presented API key is worth at the store's clock.
public enum APIKeyCheck: Sendable, Hashable {
    /// A live key of an enabled user.
    case valid(APIKey)
    /// A key past its expiry.
    case expired(APIKey)
    /// Unknown, revoked, or of a disabled user.
    case invalid
}
