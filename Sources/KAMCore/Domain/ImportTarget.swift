import Foundation

/// A store a client import writes into: it opens the one write transaction a file is written in and hands the
/// importer its `ImportSink`. One file is one transaction: everything the body writes is committed together, or
/// nothing when it throws (a refused file stores nothing).
///
/// Two imports into one store never interleave: SQLite's write lock orders them (`ClientStore`); on PostgreSQL the
/// transaction first takes an advisory lock held until it commits (`PostgresImportTarget`), so a second process's
/// import waits for the first's and then sees all of it, as a second SQLite process does.
///
/// For example:
///
///     let importer = ClientImporter(target: PostgresImportTarget(store: postgres), ids: ids)
///     let summary = try importer.importFile(at: "export.csv", mapping: .workbench)
public protocol ImportTarget: Sendable {
    /// The store's clock: an import's records and events carry its time.
    var now: @Sendable () -> Date { get }

    /// Runs `body` with the store's sink inside one write transaction; `file` names the file in errors, `operation`
    /// names the import to a process that waits for it, `rowsComing` is how many records the file brings (a store may
    /// prepare for a large file).
    ///
    /// - Throws: what `body` throws (after rolling back), or the store's own error when the transaction cannot begin
    ///   or commit (`StoreError` `.busy` on SQLite when another process kept the write lock too long).
    func importing<T>(
        _ file: String, operation: String, rowsComing: Int, _ body: (any ImportSink) throws -> T
    ) throws -> T
}
