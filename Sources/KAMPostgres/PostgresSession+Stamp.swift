import Foundation
import KAMCore
import PostgresNIO

extension PostgresSession {
    /// Stamps `column` (`disabled_at`) with `now` on the row of `table` whose `key` is `value`, unless it is stamped
    /// already, and appends `event` in the same transaction when it did: `ClientStore.stamp` on PostgreSQL. The names
    /// are the caller's constants, never input.
    /// - Returns: whether a row was stamped (false: no such row, or already stamped).
    func stamp(
        _ column: String, of table: String, where key: String, is value: String, now: Date, event: DomainEvent
    ) throws -> Bool {
        let stamped =
            try query(
                """
                UPDATE \(unescaped: table) SET \(unescaped: column) = \(now.timeIntervalSince1970)
                WHERE \(unescaped: key) = \(value) AND \(unescaped: column) IS NULL
                """, doing: "stamping \(column) of \(value) in \(table)"
            ).metadata.rows ?? 0
        guard stamped > 0 else { return false }
        try PostgresEventLog.append(self, event)
        return true
    }
}
