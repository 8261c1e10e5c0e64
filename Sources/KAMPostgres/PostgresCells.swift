import Foundation
import PostgresNIO

/// The cells of a row read one after the other from a given column: the decoders of `PostgresMemoryRows` read a
/// type's columns in the order its column list names them, from the row's start for a table's own statement, or
/// from the type's place in a wider row (`PostgresSnapshotQueries`, where every part of a snapshot has its columns).
///
/// PostgresNIO's typed-tuple `decode` always starts at the first column, hence this reader.
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    /// The cells of `row` from column `first` on.
    init(_ row: PostgresRow, from first: Int = 0) {
        cells = row.makeIterator()
        for _ in 0..<first { _ = cells.next() }
    }

    /// The next cell as a `T`; `postgres.invalid-value` naming the column when the row has no more cells.
    mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        guard let cell = cells.next() else {
            throw PostgresStoreError(.invalidValue, "a row ended before its columns were read; this is a bug in kam")
        }
        return try cell.decode(T.self)
    }

    /// The next cell as a Unix time.
    mutating func date() throws -> Date { Date(timeIntervalSince1970: try next(Double.self)) }

    /// The next cell as a Unix time, or nil for NULL.
    mutating func optionalDate() throws -> Date? { try next(Double?.self).map(Date.init(timeIntervalSince1970:)) }

    /// The next cell as a value of one of KAM's vocabularies (`PostgresColumn.enumValue`).
    mutating func value<E: RawRepresentable>(_ column: String, table: String) throws -> E where E.RawValue == String {
        try PostgresColumn.enumValue(try next(String.self), column, table: table)
    }
}
