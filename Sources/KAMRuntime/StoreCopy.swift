import Foundation
import KAMCore
import KAMPostgres
import KAMStore

/// `kam db copy`: a whole store copied from SQLite into PostgreSQL or back, every table with every row and id, so a
/// team can move its store to a shared database (docs/postgresql.md) and back again.
///
/// The copy is one write transaction on the target, read from one read transaction of the source, in an order where
/// every table comes after the tables its foreign keys name (`TableOrder`). The target must be empty: a copy never
/// merges two stores (`copy.target-not-empty`; the event cursors a new store starts at the first event are replaced).
/// Before it commits, each table's count there is compared with the source's (`copy.mismatch`, nothing is kept); the
/// target then numbers its own next rows past the copied ids. A table of the source that the target's schema lacks
/// is refused when it holds rows (`copy.missing-table`) and left out when it holds none.
///
/// For example:
///
///     let outcome = try await StoreCopy.copy(from: .sqlite(path: "kam.sqlite"), to: .postgres(url: "postgres://kam@db/kam"))
///     // outcome.rows["activities"] == the number of activities in kam.sqlite
public enum StoreCopy {
    /// What a copy wrote.
    public struct Outcome: Sendable, Equatable, Codable {
        /// Each copied table's rows, equal on both sides.
        public var rows: [String: Int]
        /// The tables copied, in the order they were written.
        public var tables: [String]
        /// Tables of the source, all empty, that the target's schema does not have.
        public var leftOut: [String]
    }

    /// Copies the store at `source` into the empty store at `target` (created and migrated when it is a new SQLite file
    /// or an empty PostgreSQL database or schema).
    ///
    /// - Throws: `RuntimeError` (`copy.same-place`, `copy.no-source`, `copy.target-not-empty`, `copy.missing-table`,
    ///   `copy.mismatch`); `StoreError` or `PostgresStoreError` when a side cannot be opened, read or written.
    public static func copy(
        from source: StorePlace, to target: StorePlace, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> Outcome {
        try await StorePlace.copy(from: source, to: target, area: "copy", open: { place in
            switch place {
            case .sqlite(let path):
                return (try ClientStore.open(path: path, now: now) as any TableSource & TableSink, {})
            case .postgres(let url):
                let database = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
                return (database, { await database.close() })
            }
        }) { (from: any TableSource & TableSink, to: any TableSource & TableSink) in try copy(from: from, to: to) }
    }

    /// Copies every table of `source` (or only the tables `only` names) into `target`, in one transaction of each.
    public static func copy(from source: any TableSource, to target: any TableSink, only: Set<String>? = nil) throws -> Outcome {
        let order = try TableOrder.parentsFirst(try source.tableParents()).filter { only?.contains($0) ?? true }
        let present = try target.tableNames()
        let tables = order.filter(present.contains)
        return try target.load { loader in
            let existing = try loader.counts(tables).filter { $0.value > 0 && !startsFilled.contains($0.key) }
            guard existing.isEmpty else {
                throw RuntimeError(
                    .invalidInput, code: "copy.target-not-empty",
                    "\(target.place) already holds \(describe(existing)); copy into a new SQLite file or an empty "
                        + "PostgreSQL database (or ?schema=): a copy never merges two stores")
            }
            for table in startsFilled where present.contains(table) { try loader.removeAll(from: table) }
            let sourceCounts = try source.readTables(order) { table, columns, rows in
                guard present.contains(table) else {
                    throw RuntimeError(
                        .invalidInput, code: "copy.missing-table",
                        "\(source.place) holds rows of \(table), a table \(target.place) does not have; nothing was "
                            + "copied: migrate the target with a kam that knows \(table), or remove those rows from the source")
                }
                try loader.insert(table: table, columns: columns, rows: rows)
            }
            try loader.finish(tables)
            let copied = sourceCounts.filter { present.contains($0.key) }
            let targetCounts = try loader.counts(tables)
            guard copied == targetCounts else {
                throw RuntimeError(
                    .invalidInput, code: "copy.mismatch",
                    "after the copy \(source.place) holds \(describe(copied)) and \(target.place) \(describe(targetCounts)); "
                        + "nothing was kept: check that no other process writes the source, and copy again")
            }
            return Outcome(rows: targetCounts, tables: tables, leftOut: order.filter { !present.contains($0) })
        }
    }

    /// Tables a new store fills as it is migrated: the event cursors, each at the start of an empty event log, which
    /// the source's replace.
    static let startsFilled: Set<String> = ["event_cursors"]

    static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

}
