import Foundation
import KAMCore

/// One message's result of an intake, for people and for `--json` (`kam email ingest`, the API).
public struct EmailIngestResult: Codable, Sendable, Hashable {
    /// `new`, `duplicate`, `unmatched` or `failed`.
    public var status: String
    /// The stored row (for a duplicate, the earlier row).
    public var id: Int64?
    public var messageID: String
    public var client: String?
    public var match: String
    public var confidence: Double
    public var direction: String
    public var candidates: [String]
    public var matchReason: String
    public var intent: String?
    public var urgency: String?
    public var sentiment: Double?
    public var tasks: [CreatedTask]
    public var draftID: String?
    public var analysisNote: String?
    public var draftNote: String?
    /// Why the message could not be parsed (status `failed`).
    public var failure: String?
    /// `new → contacted` when the email moved a new lead.
    public var leadStatus: String?
    public var inputTokens: Int
    public var outputTokens: Int
    public var subject: String?

    /// A task created from one of the email's action items.
    public struct CreatedTask: Codable, Sendable, Hashable {
        public var id: Int64?
        public var title: String
        public var due: Date?
        public var priority: String
    }

    public init(_ o: EmailIntakeOutcome) {
        status = o.status.rawValue
        id = o.entryID
        messageID = o.messageID
        client = o.match.clientID
        match = o.match.method.rawValue
        confidence = o.match.confidence
        direction = o.match.direction.rawValue
        candidates = o.match.candidates
        matchReason = o.match.reason
        intent = o.analysis?.intent.rawValue
        urgency = o.analysis?.urgency.rawValue
        sentiment = o.analysis?.sentimentScore
        tasks = o.tasks.map { CreatedTask(id: $0.id, title: $0.title, due: $0.due, priority: $0.priority.rawValue) }
        draftID = o.draftID
        analysisNote = o.analysisNote
        draftNote = o.draftNote
        failure = o.failure
        leadStatus = o.leadTransition.map { "\($0.from.rawValue) → \($0.to.rawValue)" }
        inputTokens = o.usage.inputTokens
        outputTokens = o.usage.outputTokens
        subject = o.subject
    }
}
