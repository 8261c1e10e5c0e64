import Foundation
import KAMCore
import PostgresNIO

/// The daily analytics snapshots in a PostgreSQL database (`analytics_snapshots`, `analytics_snapshot_days`), as
/// `SnapshotRepository` keeps them in SQLite, shared by every process that opens it.
///
/// Replacing a day is exclusive across processes by a transaction-scoped advisory lock on the day (keyed by the
/// schema and the day's name), taken before its rows are deleted: SQLite's single writer runs two replacements of one
/// day one after the other, and so does the lock, so the day ends with exactly the rows of the one that committed
/// last (without it, the second's inserts would meet the first's rows: a unique violation, or a mix of both sets).
/// Other days are replaced at the same time. Reads take no lock.
///
/// For example:
///
///     let snapshots = PostgresSnapshotStore(store: try await PostgresStore.open(configuration))
///     try snapshots.replace(day: today, with: rows, takenAt: now)
public struct PostgresSnapshotStore: SnapshotStoring {
    public let store: PostgresStore

    /// The advisory lock's first key: "kam analytics snapshot" (the second hashes the schema and the day).
    static let dayLockKey: Int32 = 0x4B41_4D10

    public init(store: PostgresStore) {
        self.store = store
    }

    @discardableResult
    public func replace(day: AnalyticsDay, with rows: [SnapshotRow], takenAt: Date) throws -> Int {
        let kept = rows.filter { $0.day == day }
        return try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                SELECT pg_advisory_xact_lock(\(Self.dayLockKey), hashtext(\(store.configuration.schema) || '/' || \(day.name)))
                """, doing: "waiting for the snapshot lock of \(day.name)")
            let removed =
                try session.query(
                    "DELETE FROM analytics_snapshots WHERE day = \(day.name)", doing: "removing the snapshot of \(day.name)"
                ).metadata.rows ?? 0
            // One statement for the day's rows: columns as arrays, unnested into rows.
            if !kept.isEmpty {
                _ = try session.query(
                    """
                    INSERT INTO analytics_snapshots (metric, day, owner_id, dimension, value)
                    SELECT metric, \(day.name), owner_id, dimension, value
                    FROM unnest(\(kept.map(\.metric)), \(kept.map(\.owner)), \(kept.map(\.dimension)), \(kept.map(\.value)))
                        AS r (metric, owner_id, dimension, value)
                    """, doing: "storing the snapshot of \(day.name)")
            }
            _ = try session.query(
                """
                INSERT INTO analytics_snapshot_days (day, taken_at, rows)
                VALUES (\(day.name), \(takenAt.timeIntervalSince1970), \(kept.count))
                ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, rows = excluded.rows
                """, doing: "marking \(day.name) taken")
            return removed
        }
    }

    public func days(from: AnalyticsDay, to: AnalyticsDay) throws -> [AnalyticsDay] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT day FROM analytics_snapshot_days WHERE day >= \(from.name) AND day <= \(to.name) ORDER BY day
                """, doing: "reading the snapshot days from \(from.name) to \(to.name)"
            ).rows.compactMap { AnalyticsDay(name: try $0.decode(String.self)) }
        }
    }

    public func dailySums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]
    {
        try read(
            select: "metric, day, '' AS owner_id, dimension, SUM(value)", metrics: metrics, from: from, to: to,
            owners: owners, grouping: "GROUP BY metric, day, dimension ORDER BY metric, day, dimension")
    }

    public func ownerSums(of metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?) throws
        -> [SnapshotRow]
    {
        // One row a metric, owner and dimension, stamped `to` as SQLite's does.
        try read(
            select: "metric, MAX(day), owner_id, dimension, SUM(value)", metrics: metrics, from: from, to: to,
            owners: owners, grouping: "GROUP BY metric, owner_id, dimension ORDER BY metric, owner_id, dimension"
        ).map { row in
            var row = row
            row.day = to
            return row
        }
    }

    public func rows(of metrics: [String], on day: AnalyticsDay, owners: Set<String>?) throws -> [SnapshotRow] {
        try read(
            select: "metric, day, owner_id, dimension, value", metrics: metrics, from: day, to: day, owners: owners,
            grouping: "ORDER BY metric, dimension, owner_id")
    }

    private func read(
        select: String, metrics: [String], from: AnalyticsDay, to: AnalyticsDay, owners: Set<String>?,
        grouping: String
    ) throws -> [SnapshotRow] {
        guard !metrics.isEmpty, owners.map({ !$0.isEmpty }) ?? true else { return [] }
        // Every owner (nil) switches the owners' filter off with its first operand.
        let everyOwner = owners == nil
        let ownerList = owners.map { $0.sorted() } ?? []
        return try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT \(unescaped: select) FROM analytics_snapshots
                WHERE metric = ANY(\(metrics)) AND day >= \(from.name) AND day <= \(to.name)
                    AND (\(everyOwner) OR owner_id = ANY(\(ownerList))) \(unescaped: grouping)
                """, doing: "reading the snapshots of \(metrics.joined(separator: ", "))"
            ).rows.compactMap { row in
                let (metric, name, owner, dimension, value) = try row.decode((String, String, String, String, Double).self)
                guard let day = AnalyticsDay(name: name) else { return nil }
                return SnapshotRow(day: day, metric: metric, owner: owner, dimension: dimension, value: value)
            }
        }
    }
}
