import Foundation
import GRDB
import KAMCore

/// The daily analytics snapshots (`analytics_snapshots`, `analytics_snapshot_days`): a day's rows replaced in one
/// transaction (SQLite's single writer keeps two processes taking one day apart), and a metric's rows read back summed
/// over the owners a caller may see, in their key's order.
public struct SnapshotRepository: SnapshotStoring {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Replaces every row of `day` with `rows` and marks the day taken, in one transaction: taking a day again leaves
    /// exactly its new rows.
    /// - Returns: the rows the day held before.
    @discardableResult
    public func replace(day: AnalyticsDay, with rows: [SnapshotRow], takenAt: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM analytics_snapshots WHERE day = ?", arguments: [day.name])
            let removed = db.changesCount
            let insert = try db.cachedStatement(
                sql: "INSERT INTO analytics_snapshots (metric, day, owner_id, dimension, value) VALUES (?, ?, ?, ?, ?)")
            for row in rows where row.day == day {
                try insert.execute(arguments: [row.metric, day.name, row.owner, row.dimension, row.value])
            }
            try db.execute(
                sql: """
                    INSERT INTO analytics_snapshot_days (day, taken_at, rows) VALUES (?, ?, ?)
                    ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, rows = excluded.rows
                    """,
                arguments: [day.name, takenAt.timeIntervalSince1970, rows.count { $0.day == day }])
            return removed
        }
    }

    /// The days taken from `from` to `to` (both included), ascending.
    public func days(from: AnalyticsDay, to: AnalyticsDay) throws -> [AnalyticsDay] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT day FROM analytics_snapshot_days WHERE day >= ? AND day <= ? ORDER BY day",
                arguments: [from.name, to.name]
            ).compactMap(AnalyticsDay.init(name:))
        }
    }

    /// The rows of `metrics` from `from` to `to` (both included) of the owners in `owners` (every owner when nil), summed
    /// over those owners: one row a metric, day and dimension, its `owner` "".
    public func dailySums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]
    {
        try read(
            select: "metric, day, '' AS owner_id, dimension, SUM(value) AS value", metrics: metrics, from: from, to: to,
            owners: owners, grouping: "GROUP BY metric, day, dimension ORDER BY metric, day, dimension")
    }

    /// The rows of `metrics` from `from` to `to` summed over those days: one row a metric, owner and dimension, its
    /// `day` `to`.
    public func ownerSums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]
    {
        try read(
            select: "metric, '\(to.name)' AS day, owner_id, dimension, SUM(value) AS value", metrics: metrics, from: from,
            to: to, owners: owners, grouping: "GROUP BY metric, owner_id, dimension ORDER BY metric, owner_id, dimension")
    }

    /// The rows of `day` itself, one an owner.
    public func rows(of metrics: [String], on day: AnalyticsDay, owners: Set<String>?) throws -> [SnapshotRow] {
        try read(
            select: "metric, day, owner_id, dimension, value", metrics: metrics, from: day, to: day, owners: owners,
            grouping: "ORDER BY metric, dimension, owner_id")
    }

    private func read(
        select: String, metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?, grouping: String
    ) throws -> [SnapshotRow] {
        guard !metrics.isEmpty, owners.map({ !$0.isEmpty }) ?? true else { return [] }
        var arguments = StatementArguments(metrics)
        _ = arguments.append(contentsOf: [from.name, to.name])
        var ownerFilter = ""
        if let owners {
            ownerFilter = "AND owner_id IN (\(Array(repeating: "?", count: owners.count).joined(separator: ", ")))"
            _ = arguments.append(contentsOf: StatementArguments(owners.sorted()))
        }
        let marks = Array(repeating: "?", count: metrics.count).joined(separator: ", ")
        return try writer.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(select) FROM analytics_snapshots
                    WHERE metric IN (\(marks)) AND day >= ? AND day <= ? \(ownerFilter) \(grouping)
                    """)
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            var rows: [SnapshotRow] = []
            while let row = try cursor.next() {
                guard let day = AnalyticsDay(name: row[1]) else { continue }
                rows.append(SnapshotRow(day: day, metric: row[0], owner: row[2], dimension: row[3], value: row[4]))
            }
            return rows
        }
    }
}
