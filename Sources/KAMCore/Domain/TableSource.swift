/// A store whose tables a copy reads whole: `kam db copy` (`StoreCopy`), from SQLite (`ClientStore`) or PostgreSQL
/// (`PostgresStore`).
public protocol TableSource {
    /// Where the store is, as a person names it (a file's path, a URL without its password).
    var place: String { get }

    /// The tables that hold KAM's data (not the migrations' own bookkeeping), each with the other tables its foreign
    /// keys name.
    func tableParents() throws -> [String: Set<String>]

    /// Reads `tables` in one read transaction: each table's rows in batches, every column a store writes (not the ones
    /// it computes) with its value as stored, in the order of the table's key.
    ///
    /// - Parameter body: called with a table's name, its column names and a batch of its rows.
    /// - Returns: how many rows each table holds, counted in the same transaction.
    func readTables(
        _ tables: [String], _ body: (_ table: String, _ columns: [String], _ rows: [[ColumnValue]]) throws -> Void
    ) throws -> [String: Int]
}
