/// Writes whole tables' rows, as another store held them, inside a `TableSink`'s transaction.
public protocol TableLoading {
    /// How many rows each table holds.
    func counts(_ tables: [String]) throws -> [String: Int]

    /// Removes every row of `table`.
    func removeAll(from table: String) throws

    /// Inserts `rows` (each value of `columns`, in order) into `table`, each value converted to its column's type.
    func insert(table: String, columns: [String], rows: [[ColumnValue]]) throws

    /// After the rows: makes the store number its own next rows of `tables` past the copied ids.
    func finish(_ tables: [String]) throws
}
