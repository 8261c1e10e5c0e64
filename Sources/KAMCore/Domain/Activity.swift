import Foundation

/// Something that happened with a client: an email, a call, a meeting, a note, a demo.
public struct Activity: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var contactID: Int64?
    public var externalID: String?
    public var kind: ActivityKind
    public var direction: ActivityDirection
    public var occurredAt: Date
    public var subject: String?
    /// Text written by the client or about them: untrusted data, fenced in every prompt.
    public var body: String?
    /// From -1 (negative) to 1 (positive), when known.
    public var sentiment: Double?

    public init(
        id: Int64? = nil, clientID: String, contactID: Int64? = nil, externalID: String? = nil,
        kind: ActivityKind, direction: ActivityDirection = .outbound, occurredAt: Date, subject: String? = nil,
        body: String? = nil, sentiment: Double? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.contactID = contactID
        self.externalID = externalID
        self.kind = kind
        self.direction = direction
        self.occurredAt = occurredAt
        self.subject = subject
        self.body = body
        self.sentiment = sentiment
    }
}
