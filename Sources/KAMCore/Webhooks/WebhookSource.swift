import Foundation

/// A source of signed inbound webhooks (an email relay): its name and where its secret is kept.
/// The secret itself is never part of it, so listing sources cannot leak one.
public struct WebhookSource: Codable, Sendable, Hashable {
    public var name: String
    /// The environment variable holding the secret, when it is not stored.
    public var secretEnv: String?
    public var createdAt: Date
    public var disabledAt: Date?

    public init(name: String, secretEnv: String?, createdAt: Date, disabledAt: Date?) {
        self.name = name
        self.secretEnv = secretEnv
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    enum CodingKeys: String, CodingKey {
        case name
        case secretEnv = "secret_env"
        case createdAt = "created_at"
        case disabledAt = "disabled_at"
    }
}
