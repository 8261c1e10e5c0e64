import Foundation

/// A source of signed inbound webhooks (an email relay): its name and where its secret is kept.
/// The secret itself is never part of it, so listing sources cannot leak one.
public struct WebhookSource: Codable, Sendable, Hashable {
    public var name: String
    /// The environment variable holding the secret, when it is not stored.
    public var secretEnv: String?
    public var createdAt: Date
    public var disabledAt: Date?

    enum CodingKeys: String, CodingKey {
        case name, secretEnv = "secret_env", createdAt = "created_at", disabledAt = "disabled_at"
    }
}

/// Where a webhook's secret is: stored in the database, or in an environment variable named here.
public enum WebhookSecret: Sendable, Hashable {
    case stored(String)
    case environment(String)

    /// The `secret` and `secret_env` columns.
    var columns: (secret: String?, secretEnv: String?) {
        switch self {
        case .stored(let value): (value, nil)
        case .environment(let name): (nil, name)
        }
    }

    /// The secret the `secret` and `secret_env` columns of `row` name (nil when neither is set).
    init?(row: [String: String?]) {
        if let env = row["secret_env"] ?? nil { self = .environment(env); return }
        guard let value = row["secret"] ?? nil else { return nil }
        self = .stored(value)
    }
}

/// An outbound subscription: events of these kinds are POSTed, signed, to `url`.
public struct WebhookSubscription: Codable, Sendable, Hashable {
    public var id: String
    public var url: String
    public var events: [String]
    public var secretEnv: String?
    public var createdAt: Date
    public var disabledAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, url, events, secretEnv = "secret_env", createdAt = "created_at", disabledAt = "disabled_at"
    }
}

/// Something that happened in the runtime (a draft created, an email unmatched), kept for the webhooks.
public struct StoredEvent: Codable, Sendable, Hashable {
    public var id: Int64
    /// `draft.created`, `email.unmatched`, ...
    public var kind: String
    public var clientID: String?
    public var subjectID: String?
    /// A JSON object of ids and states (never an email body or a secret).
    public var payload: String
    public var occurredAt: Date
    /// The event that started the chain of rule actions that wrote this one; nil when no rule action wrote it (it
    /// starts its own chain). Not part of the event's JSON.
    public var chainRoot: Int64? = nil
    /// How many rule actions deep it was written (0: by a person, an import or a job).
    public var chainDepth: Int = 0

    enum CodingKeys: String, CodingKey {
        case id, kind, clientID = "client_id", subjectID = "subject_id", payload, occurredAt = "occurred_at"
    }
}

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

    enum CodingKeys: String, CodingKey {
        case id, subscriptionID = "subscription_id", eventID = "event_id", eventKind = "event", url, status, attempts
        case nextAttemptAt = "next_attempt_at", lastAttemptAt = "last_attempt_at", responseStatus = "response_status"
        case lastError = "last_error", createdAt = "created_at", deliveredAt = "delivered_at"
    }
}
