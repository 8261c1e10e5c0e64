import Foundation

/// What happened to one message: what `kam email ingest` prints a line for.
public struct EmailIntakeOutcome: Sendable {
    public var status: EmailIntakeStatus
    public var messageID: String
    /// The stored row (for a duplicate, the earlier row).
    public var entryID: Int64?
    public var match: EmailClientMatch
    public var from: String?
    public var subject: String?
    public var receivedAt: Date
    public var analysis: InboundEmailAnalysis?
    /// Why there is no analysis, or nil.
    public var analysisNote: String?
    /// The analysis run's error when the model never produced a valid answer (its attempts and usage).
    public var analysisError: PromptRunError?
    /// The analysis' model calls, repairs included.
    public var analysisAttempts: [PromptAttempt]
    /// Tokens the acknowledgment draft took (its calls are in the usage ledger and on the draft).
    public var draftUsage: Usage
    public var activityID: Int64?
    /// The tasks created from the action items, with their ids.
    public var tasks: [ClientTask]
    public var draftID: String?
    public var draftNote: String?
    /// The lead transition applied, if the email moved a new lead to contacted.
    public var leadTransition: LeadTransition?
    /// Why the message could not be parsed (status `failed`).
    public var failure: String?

    public init(
        status: EmailIntakeStatus, messageID: String, entryID: Int64? = nil, match: EmailClientMatch,
        from: String? = nil, subject: String? = nil, receivedAt: Date, analysis: InboundEmailAnalysis? = nil,
        analysisNote: String? = nil, analysisError: PromptRunError? = nil, analysisAttempts: [PromptAttempt] = [],
        draftUsage: Usage = .zero,
        activityID: Int64? = nil, tasks: [ClientTask] = [], draftID: String? = nil, draftNote: String? = nil,
        leadTransition: LeadTransition? = nil, failure: String? = nil
    ) {
        self.status = status
        self.messageID = messageID
        self.entryID = entryID
        self.match = match
        self.from = from
        self.subject = subject
        self.receivedAt = receivedAt
        self.analysis = analysis
        self.analysisNote = analysisNote
        self.analysisError = analysisError
        self.analysisAttempts = analysisAttempts
        self.draftUsage = draftUsage
        self.activityID = activityID
        self.tasks = tasks
        self.draftID = draftID
        self.draftNote = draftNote
        self.leadTransition = leadTransition
        self.failure = failure
    }

    /// Tokens spent on this email, over every call.
    public var usage: Usage { analysisAttempts.reduce(draftUsage) { $0 + $1.usage } }
}
