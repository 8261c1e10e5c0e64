import Foundation
import KAMCore
import PostgresNIO

/// Writes whole tables' rows, as another store held them, inside one transaction of `PostgresStore.load`: the
/// target of a copy (`StoreCopy`).
///
/// Each value is converted to its column's type, read from the catalog (an integer into a BOOLEAN column is a
/// `Bool`, into a DOUBLE PRECISION one a `Double`; text into BYTEA its UTF-8 bytes), and rows are inserted many to a
/// statement, each parameter cast to its column's type. Ids are written as they were; `finish` then moves
/// each identity column past the largest id, so the next row the database numbers does not collide.
public struct PostgresTableLoader: TableLoading {
    let session: PostgresSession
    /// PostgreSQL takes at most 65,535 parameters a statement.
    static let parametersPerStatement = 60_000

    /// How many rows each table holds.
    public func counts(_ tables: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            let row = try session.query(
                PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(Self.quoted(table))"), doing: "counting \(table)"
            ).rows.first
            counts[table] = Int(try row?.decode(Int64.self) ?? 0)
        }
        return counts
    }

    /// Inserts `rows` (each value of `columns`, in order) into `table`.
    public func insert(table: String, columns: [String], rows: [[ColumnValue]]) throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let types = try columnTypes(table)
        let columnTypes = try columns.map { column in
            guard let type = types[column] else {
                throw PostgresStoreError(
                    .invalidValue,
                    "\(table).\(column) is not a column of \(session.configuration.place); the two stores' schemas differ: "
                        + "migrate both with this kam")
            }
            return type
        }
        let idColumn = columns.firstIndex(of: "id")
        let perStatement = max(1, Self.parametersPerStatement / columns.count)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var bindings = PostgresBindings(capacity: batch.count * columns.count)
            var values: [String] = []
            values.reserveCapacity(batch.count)
            var parameter = 0
            for row in batch {
                var placeholders: [String] = []
                let rowID = idColumn.map { " of the row with id " + Self.shown(row[$0]) } ?? ""
                for (index, value) in row.enumerated() {
                    parameter += 1
                    placeholders.append("$\(parameter)::\(columnTypes[index])")
                    try Self.bind(
                        value, as: columnTypes[index], into: &bindings, column: "\(table).\(columns[index])\(rowID)")
                }
                values.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            let sql =
                "INSERT INTO \(Self.quoted(table)) (\(columns.map(Self.quoted).joined(separator: ", "))) VALUES "
                + values.joined(separator: ", ")
            try session.query(PostgresQuery(unsafeSQL: sql, binds: bindings), doing: "copying rows into \(table)")
            start += batch.count
        }
    }

    public func removeAll(from table: String) throws {
        try session.query(PostgresQuery(unsafeSQL: "DELETE FROM \(Self.quoted(table))"), doing: "emptying \(table)")
    }

    /// Moves each identity (or serial) column of `tables` past its largest value.
    public func finish(_ tables: [String]) throws {
        let doing = "moving the copied tables' ids past the copied ones"
        let numbered = try session.query(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
            """, doing: doing
        ).rows.map { try $0.decode((String, String).self) }
        for (table, column) in numbered where tables.contains(table) {
            guard
                let sequence = try session.query(
                    "SELECT pg_get_serial_sequence(\(Self.quoted(table)), \(column))", doing: doing
                ).rows.first?.decode(String?.self) ?? nil
            else { continue }
            try session.query(
                PostgresQuery(
                    unsafeSQL: "SELECT setval($1::regclass, COALESCE((SELECT MAX(\(Self.quoted(column))) FROM \(Self.quoted(table))), 0) + 1, false)",
                    binds: { var binds = PostgresBindings(); binds.append(sequence); return binds }()),
                doing: doing)
        }
    }

    /// Each column's type name, as a cast takes it (`bigint`, `text`, `double precision`, `boolean`, `bytea`).
    private func columnTypes(_ table: String) throws -> [String: String] {
        var types: [String: String] = [:]
        for row in try session.query(
            """
            SELECT column_name::text, data_type::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            """, doing: "reading the columns of \(table)"
        ).rows {
            let (name, type) = try row.decode((String, String).self)
            types[name] = type
        }
        return types
    }

    static func bind(_ value: ColumnValue, as type: String, into bindings: inout PostgresBindings, column: String) throws {
        switch (value, type) {
        case (.null, _): bindings.appendNull()
        case (.integer(let integer), "boolean"): bindings.append(integer != 0)
        case (.integer(let integer), "bigint"), (.integer(let integer), "integer"): bindings.append(integer)
        case (.integer(let integer), "double precision"): bindings.append(Double(integer))
        case (.integer(let integer), "text"): bindings.append(String(integer))
        case (.real(let real), "double precision"): bindings.append(real)
        case (.real(let real), "bigint") where real.rounded() == real && abs(real) < 9e18: bindings.append(Int64(real))
        case (.real(let real), "text"): bindings.append(String(real))
        case (.text(let text), "text"):
            try refuseNUL(text.utf8, column: column)
            bindings.append(text)
        case (.text(let text), "bytea"): bindings.append(ByteBuffer(string: text))
        case (.blob(let bytes), "bytea"): bindings.append(ByteBuffer(bytes: bytes))
        case (.blob(let bytes), "text"):
            try refuseNUL(bytes, column: column)
            bindings.append(String(decoding: bytes, as: UTF8.self))
        default:
            throw PostgresStoreError(
                .invalidValue, "\(column) holds \(value), which a PostgreSQL \(type) column cannot take; fix the row")
        }
    }

    /// PostgreSQL `text` cannot hold the NUL character, which SQLite stores byte for byte: a copy refuses the row, named,
    /// rather than storing other text in its place.
    static func refuseNUL(_ bytes: some Sequence<UInt8>, column: String) throws {
        guard bytes.contains(0) else { return }
        throw PostgresStoreError(
            .invalidValue,
            "\(column) holds the NUL character (U+0000), which PostgreSQL text cannot store; remove it from that record in "
                + "the source (it is stored on SQLite as written), then copy again")
    }

    /// A key as a person reads it: `7`, `acme`.
    static func shown(_ value: ColumnValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let integer): String(integer)
        case .real(let real): String(real)
        case .text(let text): text
        case .blob(let bytes): "\(bytes.count) bytes"
        }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension PostgresStore {
    /// Runs `body` with a loader inside one transaction: everything it writes is committed together, or nothing
    /// when it throws.
    ///
    /// For example:
    ///
    ///     let copied = try store.load { loader in
    ///         try loader.insert(table: "users", columns: ["id", "name", "email"], rows: rows)
    ///         return try loader.counts(["users"])
    ///     }
    public func load<T>(_ body: (any TableLoading) throws -> T) throws -> T {
        try transaction(readOnly: false) { session in
            // A copy writes many rows: the statement timeout is for requests.
            try session.query("SET LOCAL statement_timeout = 0", doing: "starting a copy")
            return try body(PostgresTableLoader(session: session))
        }
    }
}
