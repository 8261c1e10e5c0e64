import Foundation

/// A stored API key of the HTTP server: who it acts for and whether it still works.
///
/// The plaintext is never stored; only `APIKeyStoring.create` sees it, once.
public struct APIKey: Sendable, Hashable, Codable {
    /// The prefix every key starts with, so a leaked key is recognisable in logs and scanners.
    public static let prefix = "kam_"

    public var id: String
    public var userID: String
    public var createdAt: Date
    public var revokedAt: Date?
    /// When the key stops working (`kam keys create --expires-in 30d`); nil: never.
    public var expiresAt: Date?

    public init(id: String, userID: String, createdAt: Date, revokedAt: Date? = nil, expiresAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    /// Whether the key has expired at `now`.
    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}
