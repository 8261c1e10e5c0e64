import Foundation
import KAMCore
import PostgresNIO

/// The retention sweep on PostgreSQL, as `RetentionRepository` makes it on SQLite: the core's `RetentionSweeping`,
/// on the tables every other twin created (drafts, inbound_emails, model_calls, events, rule_executions, …).
///
/// A sweep is one transaction and exclusive across processes, as SQLite's single writer makes it: it first takes an
/// advisory lock (`pg_advisory_xact_lock`, keyed by the schema), held until it commits. So of two sweeps at once the
/// second finds nothing left to remove, rather than both deleting some of the old rows (their bulk deletes locking
/// rows in different orders could also deadlock).
///
/// For example:
///
///     let outcome = try PostgresRetentionStore(store: store).apply(RetentionPolicy(draftsDays: 30), at: now)
public struct PostgresRetentionStore: RetentionSweeping {
    public let store: PostgresStore

    /// The sweep's advisory lock's first key: "kam retention" (the second is the schema name's hash).
    static let lockKey: Int32 = 0x4B41_4D23

    public init(store: PostgresStore) {
        self.store = store
    }

    public func apply(_ policy: RetentionPolicy, at now: Date) throws -> RetentionPolicy.Outcome {
        var outcome = policy.outcome(at: now)
        let schema = store.configuration.schema
        return try store.transaction(readOnly: false) { session in
            func changed(_ query: PostgresQuery, doing: String) throws -> Int {
                Int(try session.query(query, doing: doing).metadata.rows ?? 0)
            }
            try session.query(
                "SELECT pg_advisory_xact_lock(\(Self.lockKey), hashtext(\(schema)))",
                doing: "waiting for the retention sweep's lock")
            outcome.draftsDeleted = try changed(
                "DELETE FROM drafts WHERE created_at < \(outcome.draftsCutoff.timeIntervalSince1970)",
                doing: "deleting old drafts")
            let payloadCutoff = outcome.payloadCutoff.timeIntervalSince1970
            outcome.payloadsCleared += try changed(
                """
                UPDATE inbound_emails SET analysis_prompt = NULL
                WHERE analysis_prompt IS NOT NULL AND received_at < \(payloadCutoff)
                """, doing: "clearing old analysis prompts")
            let columns = try session.query(
                """
                SELECT column_name::text, is_nullable::text FROM information_schema.columns
                WHERE table_schema = \(schema) AND table_name = 'model_calls' ORDER BY ordinal_position
                """, doing: "reading the columns of model_calls"
            ).rows.map { try $0.decode((String, String).self) }
            for (column, nullable) in columns where RetentionPolicy.isPayloadColumn(column, nullable: nullable == "YES") {
                let quoted = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                outcome.payloadsCleared += try changed(
                    """
                    UPDATE model_calls SET \(unescaped: quoted) = NULL
                    WHERE \(unescaped: quoted) IS NOT NULL AND called_at < \(payloadCutoff)
                    """, doing: "clearing old model call payloads (\(column))")
            }
            // Their delivery log and set-aside failures go with them (foreign keys).
            outcome.eventsDeleted = try changed(
                """
                DELETE FROM events WHERE occurred_at < \(outcome.eventsCutoff.timeIntervalSince1970)
                  AND id < (SELECT MAX(id) FROM events)
                  AND id <= (SELECT COALESCE(MIN(event_id), 0) FROM event_cursors)
                  AND id NOT IN (SELECT event_id FROM webhook_deliveries WHERE status = 'pending')
                  AND NOT (kind = 'task.overdue'
                           AND subject_id IN (SELECT CAST(id AS TEXT) FROM tasks WHERE status IN ('open', 'in-progress')))
                """, doing: "deleting old events")
            outcome.skippedRulesDeleted = try changed(
                """
                DELETE FROM rule_executions
                WHERE status = 'skipped' AND started_at < \(outcome.skippedRulesCutoff.timeIntervalSince1970)
                """, doing: "deleting old skipped rule executions")
            return outcome
        }
    }
}
