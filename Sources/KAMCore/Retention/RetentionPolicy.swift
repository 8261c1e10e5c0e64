import Foundation

/// How long drafts and model-call payloads are kept, and what a sweep that applies it removes.
///
/// Drafts (with their events and feedback) older than `draftsDays` are deleted. Payloads — the
/// stored prompt and answer text of model calls (`inbound_emails.analysis_prompt`, and any
/// `*payload*`, `request_*`, `response_*` column of `model_calls`) — older than `payloadDays` are
/// cleared, while the call's metering (tokens, cost) stays for the usage ledger. Events older than `eventsDays`
/// are deleted once every consumer has read them (each cursor is past them) and no webhook delivery of theirs is
/// pending; the newest event and the `task.overdue` events of tasks still open (their once-per-due-time mark) stay.
/// The log's records of rules that started and did not match (`rule_executions` with status `skipped`) older than
/// `skippedRulesDays` are deleted; the executions that fired, stopped or cooled down stay.
///
/// A store applies it (`RetentionSweeping`: `RetentionRepository` on SQLite, `PostgresRetentionStore` on
/// PostgreSQL) in one transaction.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    public var draftsDays: Int
    public var payloadDays: Int
    public var eventsDays: Int
    public var skippedRulesDays: Int

    public init(draftsDays: Int = 365, payloadDays: Int = 90, eventsDays: Int = 180, skippedRulesDays: Int = 30) {
        self.draftsDays = draftsDays
        self.payloadDays = payloadDays
        self.eventsDays = eventsDays
        self.skippedRulesDays = skippedRulesDays
    }

    /// What one sweep removed.
    public struct Outcome: Sendable, Hashable, Codable {
        public var draftsDeleted: Int
        public var payloadsCleared: Int
        public var draftsCutoff: Date
        public var payloadCutoff: Date
        public var eventsDeleted: Int
        public var eventsCutoff: Date
        public var skippedRulesDeleted: Int
        public var skippedRulesCutoff: Date
    }

    /// A sweep at `now` that removed nothing yet: the cutoffs set, the counts zero.
    public func outcome(at now: Date) -> Outcome {
        func cutoff(_ days: Int) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }
        return Outcome(
            draftsDeleted: 0, payloadsCleared: 0, draftsCutoff: cutoff(draftsDays), payloadCutoff: cutoff(payloadDays),
            eventsDeleted: 0, eventsCutoff: cutoff(eventsDays), skippedRulesDeleted: 0,
            skippedRulesCutoff: cutoff(skippedRulesDays))
    }

    /// Whether a column of `model_calls` holds a payload a sweep clears: its name says so and it may be NULL.
    public static func isPayloadColumn(_ name: String, nullable: Bool) -> Bool {
        nullable && (name.contains("payload") || name.hasPrefix("request_") || name.hasPrefix("response_"))
    }
}
