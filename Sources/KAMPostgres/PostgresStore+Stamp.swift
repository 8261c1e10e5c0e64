import Foundation
import KAMCore
import PostgresNIO

extension PostgresStore {
    /// Stamps `column` (`disabled_at`, `revoked_at`) with `now` on the row of `table` whose `key` is `value`, unless
    /// it is stamped already, and appends `event` in the same transaction when it was: `ClientStore.stamp` on
    /// PostgreSQL. The `IS NULL` of its UPDATE is a compare-and-set, so of two processes stamping one row at once
    /// exactly one does (the other waits for the first's row lock, then finds it stamped).
    /// - Returns: whether a row was stamped (false: no such row, or already stamped).
    func stamp(
        _ column: String, of table: String, where key: String, is value: String, now: Date, event: DomainEvent
    ) throws -> Bool {
        try transaction(readOnly: false) { session in
            var binds = PostgresBindings()
            binds.append(now.timeIntervalSince1970)
            binds.append(value)
            let changed = try session.query(
                PostgresQuery(
                    unsafeSQL: "UPDATE \(table) SET \(column) = $1 WHERE \(key) = $2 AND \(column) IS NULL", binds: binds),
                doing: "stamping \(table).\(column) of \(value)"
            ).metadata.rows ?? 0
            guard changed > 0 else { return false }
            try PostgresEventLog.append(session, event)
            return true
        }
    }
}
