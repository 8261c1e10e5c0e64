import Foundation
import KAMCore
import KAMPostgres
import KAMStore

/// The client memory tables copied from a SQLite store into an empty PostgreSQL database: what a client's snapshot
/// reads there (`PostgresClientMemory`), the first part of KAM's store on PostgreSQL (docs/postgresql.md).
///
/// The tables are `PostgresSchema.memoryTables` (users, clients, contacts, activities, deals and their stage
/// history, tasks, orders, client memory, inbound emails, support tickets, campaigns and their recipients); drafts,
/// suggestions, prompts, events, jobs and the rest of the file are not copied. Every row keeps its id and every
/// column its value. The whole copy is one PostgreSQL transaction, read from one SQLite read transaction: the target
/// must hold none of these rows (`memory.target-not-empty`, a copy never merges two stores), and before it commits
/// each table's count there is compared with the source's (`memory.copy-mismatch`, nothing is kept); the identity
/// columns are then moved past the copied ids.
///
/// For example:
///
///     let counts = try await MemoryCopy.copy(from: "kam.sqlite", to: "postgres://kam@db/kam")
///     // counts["activities"] == the number of activities in kam.sqlite
public enum MemoryCopy {
    /// Copies the client memory tables of the SQLite file at `path` into the PostgreSQL database at `url`.
    ///
    /// - Returns: the rows of each table, equal on both sides.
    /// - Throws: `RuntimeError` (`memory.no-source`, `memory.target-not-empty`, `memory.copy-mismatch`);
    ///   `StoreError` or `PostgresStoreError` when a side cannot be opened or read.
    public static func copy(from path: String, to url: String) async throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuntimeError(.notFound, code: "memory.no-source", "\(path) does not exist; name the SQLite file to copy from")
        }
        let source = try ClientStore.open(path: path)
        let target = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
        do {
            let counts = try copy(from: source, to: target)
            await target.close()
            return counts
        } catch {
            await target.close()
            throw error
        }
    }

    /// Copies the client memory tables of `source` into `target`, in one transaction of each.
    public static func copy(from source: ClientStore, to target: PostgresStore) throws -> [String: Int] {
        let tables = PostgresSchema.memoryTables
        let place = target.configuration.labelledURL
        return try target.load { loader in
            let existing = try loader.counts(tables).filter { $0.value > 0 }
            guard existing.isEmpty else {
                throw RuntimeError(
                    .invalidInput, code: "memory.target-not-empty",
                    "\(place) already holds \(describe(existing)); copy into a database (or ?schema=) without client "
                        + "memory: a copy never merges two stores")
            }
            let sourceCounts = try source.readTables(tables) { table, columns, rows in
                try loader.insert(table: table, columns: columns, rows: rows)
            }
            try loader.resetIdentities(tables)
            let targetCounts = try loader.counts(tables)
            guard sourceCounts == targetCounts else {
                throw RuntimeError(
                    .invalidInput, code: "memory.copy-mismatch",
                    "after the copy the source holds \(describe(sourceCounts)) and \(place) \(describe(targetCounts)); "
                        + "nothing was kept: check that no other process writes the source, and copy again")
            }
            return targetCounts
        }
    }

    /// The tables copied, parents first.
    public static var tables: [String] { PostgresSchema.memoryTables }

    static func describe(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
}
