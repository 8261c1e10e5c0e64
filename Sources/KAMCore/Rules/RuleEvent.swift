import Foundation

/// What a rule is evaluated on: a stored event (its id, kind, client, subject and parsed payload), or a scheduled
/// job's run (`kind` `schedule:health-recompute`, id 0).
public struct RuleEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: String
    public var clientID: String?
    public var subjectID: String?
    public var payload: [String: JSONValue]
    public var occurredAt: Date

    public init(
        id: Int64, kind: String, clientID: String?, subjectID: String? = nil, payload: [String: JSONValue] = [:],
        occurredAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.clientID = clientID
        self.subjectID = subjectID
        self.payload = payload
        self.occurredAt = occurredAt
    }

    /// A scheduled run of `job` over a client.
    public static func schedule(_ job: JobKind, clientID: String, at: Date) -> RuleEvent {
        RuleEvent(id: 0, kind: "schedule:\(job.rawValue)", clientID: clientID, occurredAt: at)
    }
}
