import Foundation

/// Something that happened in the runtime (a draft created, an email unmatched), as the event log keeps it
/// (`events`): read by `kam events list`, the consumers and the outbound webhooks.
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

    public init(
        id: Int64, kind: String, clientID: String?, subjectID: String?, payload: String, occurredAt: Date,
        chainRoot: Int64? = nil, chainDepth: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.clientID = clientID
        self.subjectID = subjectID
        self.payload = payload
        self.occurredAt = occurredAt
        self.chainRoot = chainRoot
        self.chainDepth = chainDepth
    }

    enum CodingKeys: String, CodingKey {
        case id, kind
        case clientID = "client_id"
        case subjectID = "subject_id"
        case payload
        case occurredAt = "occurred_at"
    }
}
