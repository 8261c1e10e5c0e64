import Foundation

/// One event's delivery to one subscription, with its attempts.
public struct WebhookDelivery: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, delivered, failed
    }

    public var id: Int64
    public var subscriptionID: String
    public var eventID: Int64
    public var eventKind: String
    public var url: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// The receiver's HTTP status on the last attempt (nil when it could not be reached).
    public var responseStatus: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    public init(
        id: Int64, subscriptionID: String, eventID: Int64, eventKind: String, url: String, status: Status,
        attempts: Int, nextAttemptAt: Date?, lastAttemptAt: Date?, responseStatus: Int?, lastError: String?,
        createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.eventID = eventID
        self.eventKind = eventKind
        self.url = url
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.responseStatus = responseStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case subscriptionID = "subscription_id"
        case eventID = "event_id"
        case eventKind = "event"
        case url, status, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastAttemptAt = "last_attempt_at"
        case responseStatus = "response_status"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }
}
