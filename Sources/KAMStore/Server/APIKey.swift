import Foundation

/// A stored API key of the HTTP server: who it acts for and whether it still works.
///
/// The plaintext is never stored; only `APIKeyRepository.create` sees it, once.
public struct APIKey: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, userID: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.userID = userID
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}
