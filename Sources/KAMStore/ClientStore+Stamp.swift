import Foundation
import GRDB
import KAMCore

extension ClientStore {
    /// Stamps `column` (`disabled_at`, `revoked_at`) with `now` on the row of `table` whose `key` is `value`,
    /// unless it is stamped already: the one way users, API keys, webhook sources and subscriptions are turned
    /// off, keeping the row (and what refers to it) for the record.
    /// `event` is appended in the same transaction when a row was stamped.
    /// - Returns: whether a row was stamped (false: no such row, or already stamped).
    func stamp(
        _ column: String, of table: String, where key: String, is value: String, now: Date, event: DomainEvent
    ) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE \(table) SET \(column) = ? WHERE \(key) = ? AND \(column) IS NULL",
                arguments: [now.timeIntervalSince1970, value])
            guard db.changesCount > 0 else { return false }
            try EventLog.append(db, event)
            return true
        }
    }
}
