import Foundation

/// An outbound subscription: events of these kinds are POSTed, signed, to `url`.
public struct WebhookSubscription: Codable, Sendable, Hashable {
    public var id: String
    public var url: String
    public var events: [String]
    public var secretEnv: String?
    public var createdAt: Date
    public var disabledAt: Date?

    public init(
        id: String, url: String, events: [String], secretEnv: String?, createdAt: Date, disabledAt: Date? = nil
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.secretEnv = secretEnv
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }

    enum CodingKeys: String, CodingKey {
        case id, url, events
        case secretEnv = "secret_env"
        case createdAt = "created_at"
        case disabledAt = "disabled_at"
    }
}
