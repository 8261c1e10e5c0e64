import Foundation

/// An ingested email as stored: what `kam email list` and `kam email show` print.
public struct EmailIntakeEntry: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var messageID: String
    public var status: EmailIntakeStatus
    public var clientID: String?
    public var match: EmailClientMatch.Method
    public var confidence: Double
    public var direction: ActivityDirection?
    public var matchedAddress: String?
    public var candidates: [String]
    public var matchReason: String?
    public var receivedAt: Date
    public var ingestedAt: Date?
    public var threadID: String?
    public var from: String?
    public var subject: String?
    /// Why the message could not be parsed (status `failed`).
    public var failure: String?
    public var analysis: InboundEmailAnalysis?
    public var analysisPrompt: String?
    public var analysisNote: String?
    public var activityID: Int64?
    public var draftID: String?
    public var draftNote: String?
    /// The tasks created from the email's action items.
    public var taskIDs: [Int64]
    /// The parsed message (nil when it could not be parsed).
    public var message: EmailMessage?
    public var rawBytes: Int

    public init(
        id: Int64, messageID: String, status: EmailIntakeStatus, clientID: String?, match: EmailClientMatch.Method,
        confidence: Double, direction: ActivityDirection? = nil, matchedAddress: String? = nil, candidates: [String] = [],
        matchReason: String? = nil, receivedAt: Date, ingestedAt: Date? = nil, threadID: String? = nil,
        from: String? = nil, subject: String? = nil, failure: String? = nil, analysis: InboundEmailAnalysis? = nil,
        analysisPrompt: String? = nil, analysisNote: String? = nil, activityID: Int64? = nil, draftID: String? = nil,
        draftNote: String? = nil, taskIDs: [Int64] = [], message: EmailMessage? = nil, rawBytes: Int = 0
    ) {
        self.id = id
        self.messageID = messageID
        self.status = status
        self.clientID = clientID
        self.match = match
        self.confidence = confidence
        self.direction = direction
        self.matchedAddress = matchedAddress
        self.candidates = candidates
        self.matchReason = matchReason
        self.receivedAt = receivedAt
        self.ingestedAt = ingestedAt
        self.threadID = threadID
        self.from = from
        self.subject = subject
        self.failure = failure
        self.analysis = analysis
        self.analysisPrompt = analysisPrompt
        self.analysisNote = analysisNote
        self.activityID = activityID
        self.draftID = draftID
        self.draftNote = draftNote
        self.taskIDs = taskIDs
        self.message = message
        self.rawBytes = rawBytes
    }
}
