import Foundation

/// Where one client's data is exported and erased (GDPR): `ClientDataEraser` on SQLite, `PostgresClientDataEraser` on
/// PostgreSQL.
///
/// Both behave alike (`ClientErasureConformanceTests`, `ClientExportConformanceTests`): the same erasure leaves the
/// same rows, in one transaction, and of two erasures of one client at once, by two processes, one erases it and the
/// other finds no such client; the same rows export as the same document (`ClientExport`).
///
/// For example:
/// ```swift
/// let erasure = try eraser.erase(clientID: "acme")
/// print(erasure.total, erasure.ledgerRowsDetached)
/// ```
public protocol ClientDataErasing: Sendable {
    /// Everything stored about the client as one document (`ClientExport`): the rows an erasure would remove or detach,
    /// table by table, each table's in its primary key's order, read in one transaction, stamped `exported_at` `date`.
    ///
    /// - Throws: `ExportError` `.clientNotFound` when no client has this id.
    func export(clientID: String, at date: Date) throws -> JSONValue

    /// Removes the client and every row that is theirs or names them (`ClientErasure`), in one transaction.
    /// Usage-ledger rows (`model_calls`, `budget_reservations`) keep their tokens and cost with the client id cleared,
    /// unless a text column names the client, in which case they are removed too.
    ///
    /// - Throws: `ExportError` `.clientNotFound` when no client has this id.
    func erase(clientID: String) throws -> ClientErasure
}
