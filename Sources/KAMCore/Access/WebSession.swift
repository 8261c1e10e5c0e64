import Foundation

/// A signed-in browser: whose it is, the token that must accompany every form and script request (CSRF), and when it
/// ends. The session's own token lives only in the browser's cookie; the store keeps its SHA-256.
public struct WebSession: Sendable, Hashable {
    /// The prefix of a session token (the cookie's value), recognisable in logs and scanners.
    public static let prefix = "kams_"

    public var id: String
    public var userID: String
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(id: String, userID: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.id = id
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
