import Foundation

/// Everything one intake writes, handed to the store to write in a single transaction: the email
/// (raw bytes, parsed fields, match), its activity, the tasks from its action items and the pending
/// acknowledgment draft.
public struct EmailIntakeRecord: Sendable, Hashable {
    /// The Message-ID, or `sha256:<hex>` of the raw bytes when the message has none (or is unreadable).
    public var messageID: String
    public var status: EmailIntakeStatus
    public var match: EmailClientMatch
    /// The email's Date header, or the ingest time when it has none.
    public var receivedAt: Date
    public var ingestedAt: Date
    /// The parsed message; nil when it could not be parsed.
    public var message: EmailMessage?
    public var raw: [UInt8]
    /// Why the message could not be parsed (status `failed`).
    public var failure: String?
    public var analysis: InboundEmailAnalysis?
    /// The prompt that produced the analysis (`analysis.inbound-email@1`).
    public var analysisPrompt: String?
    /// Why there is no analysis (no consent, outbound mail, model failure...), or nil.
    public var analysisNote: String?
    public var activity: Activity?
    public var tasks: [ClientTask]
    public var draft: Draft?
    /// Why there is no acknowledgment draft, or nil.
    public var draftNote: String?
    /// The support ticket it opens: an inbound email of a client to a support address (`support.addresses`).
    public var ticket: SupportTicket?

    public init(
        messageID: String, status: EmailIntakeStatus, match: EmailClientMatch, receivedAt: Date, ingestedAt: Date,
        message: EmailMessage?, raw: [UInt8], failure: String? = nil, analysis: InboundEmailAnalysis? = nil,
        analysisPrompt: String? = nil, analysisNote: String? = nil, activity: Activity? = nil, tasks: [ClientTask] = [],
        draft: Draft? = nil, draftNote: String? = nil
    ) {
        self.messageID = messageID
        self.status = status
        self.match = match
        self.receivedAt = receivedAt
        self.ingestedAt = ingestedAt
        self.message = message
        self.raw = raw
        self.failure = failure
        self.analysis = analysis
        self.analysisPrompt = analysisPrompt
        self.analysisNote = analysisNote
        self.activity = activity
        self.tasks = tasks
        self.draft = draft
        self.draftNote = draftNote
    }
}
