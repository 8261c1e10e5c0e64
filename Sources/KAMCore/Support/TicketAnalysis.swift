import Foundation

/// What KAM read in a ticket: the sentiment and urgency of `analysis.inbound-email` (or its offline
/// reading) and the topics of `TicketTopics`.
public struct TicketAnalysis: Codable, Sendable, Hashable {
    /// From -1 (hostile) to 1 (delighted).
    public var sentiment: Double
    public var urgency: InboundEmailAnalysis.Urgency
    public var intent: InboundEmailAnalysis.Intent
    public var topics: [String]
    public var analysedAt: Date
    /// The prompt version that read it (`analysis.inbound-email@1`).
    public var prompt: String

    public init(
        sentiment: Double, urgency: InboundEmailAnalysis.Urgency, intent: InboundEmailAnalysis.Intent, topics: [String],
        analysedAt: Date, prompt: String
    ) {
        self.sentiment = sentiment
        self.urgency = urgency
        self.intent = intent
        self.topics = topics
        self.analysedAt = analysedAt
        self.prompt = prompt
    }

    /// The reading of `analysis.inbound-email` (`prompt`, `id@version`) over a ticket's text, with the topics
    /// `TicketTopics` names in it: how both an imported ticket and an email's ticket are analysed.
    public init(reading analysis: InboundEmailAnalysis, subject: String, body: String, at: Date, prompt: String) {
        self.init(
            sentiment: analysis.sentimentScore, urgency: analysis.urgency, intent: analysis.intent,
            topics: TicketTopics().topics(of: subject + "\n" + body), analysedAt: at, prompt: prompt)
    }

    /// Below this sentiment a ticket counts as negative (the health score's support factor, the rules).
    public static let negativeBelow = -0.2

    public var isNegative: Bool { sentiment < Self.negativeBelow }
}
