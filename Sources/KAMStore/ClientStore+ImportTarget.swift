import Foundation
import GRDB
import KAMCore

/// A client import into the SQLite file: one `IMMEDIATE` transaction holding the write lock, with a note naming the
/// import for a process that waits (`ClientStore+Busy.swift`), a smaller page cache, and the deferrable indexes of a
/// table the file at least doubles dropped for the writes and built again before the commit (`DeferredIndexes`).
extension ClientStore: ImportTarget {
    /// SQLite's page cache while an import writes, in KiB.
    static let importCacheKiB = 512

    /// - Throws: what `body` throws; `StoreError` `.busy` when another process kept the write lock too long,
    ///   `.cannotOpen` for any other failure of the database.
    public func importing<T>(
        _ file: String, operation: String, rowsComing: Int, _ body: (any ImportSink) throws -> T
    ) throws -> T {
        do {
            return try writeNoting(operation) { db in
                // A smaller page cache for the import's writes: SQLite's default 2 MB is most of a 20k-row file's
                // peak memory above its own size, and the import writes each page about once (the rows arrive in
                // order, the deferred indexes are sorted), so a quarter of it costs no speed (BENCHMARKS.md, "CSV
                // import": 20k rows one row a client 1.77-2.07x the file with 2 MB, 1.31-1.57x with 512 KB, the
                // writing thread's rows per CPU second the same within the runs' spread).
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                let deferred = try DeferredIndexes.drop(in: db, rowsComing: rowsComing)
                let result = try body(DatabaseImportSink(db: db))
                try deferred.restore(in: db)
                return result
            }
        } catch let error as DatabaseError {
            if let busy = ClientStore.busyError(error, path: path) { throw busy }
            throw StoreError(.cannotOpen, "importing \(file) failed in the database: \(error.message ?? "\(error)")", underlying: error)
        }
    }
}
