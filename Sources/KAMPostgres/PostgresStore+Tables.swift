import Foundation
import KAMCore
import PostgresNIO

extension PostgresStore: TableSource, TableSink {
    /// The database and schema, as a person names them (no password).
    public var place: String { configuration.labelledURL }

    /// Every table of the store's schema but the migrations' own (`PostgresSchema.migrationsTable`).
    public func tableNames() throws -> Set<String> {
        try transaction(readOnly: true) { session in Set(try Self.dataTables(session)) }
    }

    public func tableParents() throws -> [String: Set<String>] {
        try transaction(readOnly: true) { session in
            var parents: [String: Set<String>] = [:]
            for table in try Self.dataTables(session) { parents[table] = [] }
            for key in try PostgresForeignKey.all(session, doing: "reading the foreign keys") {
                parents[key.table, default: []].insert(key.parent)
            }
            return parents
        }
    }

    private static func dataTables(_ session: PostgresSession) throws -> [String] {
        try session.query(
            """
            SELECT table_name::text FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
              AND table_name <> \(PostgresSchema.migrationsTable) ORDER BY 1
            """, doing: "reading the tables"
        ).rows.map { try $0.decode(String.self) }
    }

    /// Reads whole tables in one `REPEATABLE READ READ ONLY` transaction, through a cursor (`FETCH` 2,000 rows at a
    /// time), in each table's primary key order: the source of a copy into another store (`StoreCopy`). Generated
    /// columns are left out; a BOOLEAN comes as the integer 0 or 1, a DOUBLE PRECISION as a real, BYTEA as a blob.
    public func readTables(
        _ tables: [String], _ body: (_ table: String, _ columns: [String], _ rows: [[ColumnValue]]) throws -> Void
    ) throws -> [String: Int] {
        try transaction(readOnly: true) { session in
            var counts: [String: Int] = [:]
            for table in tables {
                let doing = "reading \(table)"
                let columns = try session.query(
                    """
                    SELECT column_name::text FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = \(table) AND is_generated = 'NEVER'
                    ORDER BY ordinal_position
                    """, doing: doing
                ).rows.map { try $0.decode(String.self) }
                let key = try Self.primaryKey(session, table: table, doing: doing)
                let order = key.isEmpty ? "" : " ORDER BY " + key.map(PostgresTableLoader.quoted).joined(separator: ", ")
                try session.query(
                    PostgresQuery(
                        unsafeSQL: "DECLARE kam_copy NO SCROLL CURSOR FOR SELECT "
                            + columns.map(PostgresTableLoader.quoted).joined(separator: ", ")
                            + " FROM \(PostgresTableLoader.quoted(table))\(order)"),
                    doing: doing)
                while true {
                    let rows = try session.query("FETCH FORWARD 2000 FROM kam_copy", doing: doing).rows
                    guard !rows.isEmpty else { break }
                    try body(table, columns, try rows.map { row in try row.map { try Self.columnValue($0, table: table) } })
                }
                try session.query("CLOSE kam_copy", doing: doing)
                counts[table] = Int(
                    try session.query(
                        PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(PostgresTableLoader.quoted(table))"), doing: doing
                    ).rows.first?.decode(Int64.self) ?? 0)
            }
            return counts
        }
    }

    /// The columns of `table`'s primary key, in the key's order (every table of KAM's schema has one).
    static func primaryKey(_ session: PostgresSession, table: String, doing: String) throws -> [String] {
        try session.query(
            """
            SELECT a.attname::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = \(PostgresTableLoader.quoted(table))::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, doing: doing
        ).rows.map { try $0.decode(String.self) }
    }

    static func columnValue(_ cell: PostgresCell, table: String) throws -> ColumnValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
        case .float8, .float4: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .text, .varchar, .name: return .text(try cell.decode(String.self))
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default:
            throw PostgresStoreError(
                .invalidValue,
                "\(table).\(cell.columnName) is of type \(cell.dataType), which KAM's stores do not use; migrate the "
                    + "database with this kam")
        }
    }
}
