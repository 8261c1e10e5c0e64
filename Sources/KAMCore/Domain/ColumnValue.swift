/// A value of a table's column as a store holds it: what a copy between stores carries (`StoreCopy`).
///
/// SQLite's storage classes, which every PostgreSQL column type KAM uses can take: the target converts each to
/// its column's type (an integer into a BOOLEAN column is a `Bool`, into a DOUBLE PRECISION one a `Double`).
public enum ColumnValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}
