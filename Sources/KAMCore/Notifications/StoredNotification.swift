import Foundation

/// A notification in a user's inbox (`notifications`), put there by a rule's `notify` action.
public struct StoredNotification: Codable, Sendable, Hashable {
    public var id: Int64
    public var userID: String
    public var clientID: String?
    /// The event that fired the rule (nil for a scheduled run).
    public var causeEventID: Int64?
    public var rule: String?
    public var title: String
    public var body: String
    public var readAt: Date?
    public var createdAt: Date

    public init(
        id: Int64, userID: String, clientID: String?, causeEventID: Int64?, rule: String?, title: String, body: String,
        readAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.clientID = clientID
        self.causeEventID = causeEventID
        self.rule = rule
        self.title = title
        self.body = body
        self.readAt = readAt
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, rule, title, body
        case userID = "user_id", clientID = "client_id", causeEventID = "cause_event_id", readAt = "read_at"
        case createdAt = "created_at"
    }
}
