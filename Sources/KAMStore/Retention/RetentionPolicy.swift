import Foundation
import GRDB
import KAMCore

/// How long drafts and model-call payloads are kept, and the sweep that applies it.
///
/// Drafts (with their events and feedback) older than `draftsDays` are deleted. Payloads — the
/// stored prompt and answer text of model calls (`inbound_emails.analysis_prompt`, and any
/// `*payload*`, `request_*`, `response_*` column of `model_calls`) — older than `payloadDays` are
/// cleared, while the call's metering (tokens, cost) stays for the usage ledger. Events older than `eventsDays`
/// are deleted once every consumer has read them (each cursor is past them) and no webhook delivery of theirs is
/// pending; the newest event and the `task.overdue` events of tasks still open (their once-per-due-time mark) stay.
/// The log's records of rules that started and did not match (`rule_executions` with status `skipped`) older than
/// `skippedRulesDays` are deleted; the executions that fired, stopped or cooled down stay.
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

    /// Applies the policy at `now` in one transaction.
    public func apply(to store: ClientStore, now: Date) throws -> Outcome {
        let draftsCutoff = now.addingTimeInterval(-Double(draftsDays) * 86_400)
        let payloadCutoff = now.addingTimeInterval(-Double(payloadDays) * 86_400)
        let eventsCutoff = now.addingTimeInterval(-Double(eventsDays) * 86_400)
        let skippedRulesCutoff = now.addingTimeInterval(-Double(skippedRulesDays) * 86_400)
        return try store.writer.write { db in
            try db.execute(sql: "DELETE FROM drafts WHERE created_at < ?", arguments: [draftsCutoff.timeIntervalSince1970])
            let drafts = db.changesCount
            var payloads = 0
            try db.execute(
                sql: "UPDATE inbound_emails SET analysis_prompt = NULL WHERE analysis_prompt IS NOT NULL AND received_at < ?",
                arguments: [payloadCutoff.timeIntervalSince1970])
            payloads += db.changesCount
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(model_calls)").compactMap { row -> String? in
                let name: String = row["name"]
                let notNull: Bool = row["notnull"]
                let isPayload = name.contains("payload") || name.hasPrefix("request_") || name.hasPrefix("response_")
                return isPayload && !notNull ? name : nil
            }
            for column in columns {
                let c = column.quotedDatabaseIdentifier
                try db.execute(
                    sql: "UPDATE model_calls SET \(c) = NULL WHERE \(c) IS NOT NULL AND called_at < ?",
                    arguments: [payloadCutoff.timeIntervalSince1970])
                payloads += db.changesCount
            }
            // Their delivery log and set-aside failures go with them (foreign keys).
            try db.execute(
                sql: """
                    DELETE FROM events WHERE occurred_at < ?1
                      AND id < (SELECT MAX(id) FROM events)
                      AND id <= (SELECT COALESCE(MIN(event_id), 0) FROM event_cursors)
                      AND id NOT IN (SELECT event_id FROM webhook_deliveries WHERE status = 'pending')
                      AND NOT (kind = 'task.overdue'
                               AND subject_id IN (SELECT CAST(id AS TEXT) FROM tasks WHERE status IN ('open', 'in-progress')))
                    """,
                arguments: [eventsCutoff.timeIntervalSince1970])
            let events = db.changesCount
            try db.execute(
                sql: "DELETE FROM rule_executions WHERE status = 'skipped' AND started_at < ?",
                arguments: [skippedRulesCutoff.timeIntervalSince1970])
            return Outcome(
                draftsDeleted: drafts, payloadsCleared: payloads, draftsCutoff: draftsCutoff, payloadCutoff: payloadCutoff,
                eventsDeleted: events, eventsCutoff: eventsCutoff, skippedRulesDeleted: db.changesCount,
                skippedRulesCutoff: skippedRulesCutoff)
        }
    }
}
