import Foundation
import GRDB
import KAMCore

/// The retention sweep on SQLite, the core's `RetentionSweeping`: one write transaction, exclusive under SQLite's
/// single writer.
///
/// For example:
///
///     let outcome = try RetentionRepository(store: store).apply(RetentionPolicy(draftsDays: 30), at: now)
public struct RetentionRepository: RetentionSweeping {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    public func apply(_ policy: RetentionPolicy, at now: Date) throws -> RetentionPolicy.Outcome {
        try store.writer.write { db in
            var outcome = policy.outcome(at: now)
            try db.execute(
                sql: "DELETE FROM drafts WHERE created_at < ?", arguments: [outcome.draftsCutoff.timeIntervalSince1970])
            outcome.draftsDeleted = db.changesCount
            let payloadCutoff = outcome.payloadCutoff.timeIntervalSince1970
            try db.execute(
                sql: "UPDATE inbound_emails SET analysis_prompt = NULL WHERE analysis_prompt IS NOT NULL AND received_at < ?",
                arguments: [payloadCutoff])
            outcome.payloadsCleared += db.changesCount
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(model_calls)").compactMap { row -> String? in
                let name: String = row["name"]
                let notNull: Bool = row["notnull"]
                return RetentionPolicy.isPayloadColumn(name, nullable: !notNull) ? name : nil
            }
            for column in columns {
                let c = column.quotedDatabaseIdentifier
                try db.execute(
                    sql: "UPDATE model_calls SET \(c) = NULL WHERE \(c) IS NOT NULL AND called_at < ?",
                    arguments: [payloadCutoff])
                outcome.payloadsCleared += db.changesCount
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
                arguments: [outcome.eventsCutoff.timeIntervalSince1970])
            outcome.eventsDeleted = db.changesCount
            try db.execute(
                sql: "DELETE FROM rule_executions WHERE status = 'skipped' AND started_at < ?",
                arguments: [outcome.skippedRulesCutoff.timeIntervalSince1970])
            outcome.skippedRulesDeleted = db.changesCount
            return outcome
        }
    }
}
