import Foundation
import KAMCore
import PostgresNIO

/// A client's export and erasure (GDPR) on PostgreSQL, as `ClientDataEraser` makes them on SQLite: the core's
/// `ClientDataErasing`, its rows found by the same rules (`ClientErasure`) over every table of the schema, by their
/// `ctid` (SQLite's rowid), and read into one document (`ClientExport`) or removed in one transaction, children first.
///
/// Text is matched as SQLite's `LIKE` matches it: case-insensitive for ASCII letters only (`ILIKE` under
/// `COLLATE "C"`); a BYTEA column through its `escape` encoding, the identifier encoded alike. Unlike SQLite, columns
/// of numbers and booleans are not read as text (SQLite's and PostgreSQL's spellings of a number differ anyway).
/// `analytics_snapshots`, figures by owner and dimension that SQLite keeps without a rowid and does not read, is not
/// read here either.
///
/// Across processes: the transaction first locks the client's row (`SELECT … FOR UPDATE`), so a row added meanwhile
/// with a foreign key to the client waits for the erasure and then fails, and of two erasures of one client at once
/// the second waits and finds no such client (`ExportError` `.clientNotFound`), as it would behind SQLite's single
/// writer. The `ctid`s found stay valid until the deletes: a delete changes only the rows of the tables referencing
/// the deleted table (`ON DELETE SET NULL`), and those come earlier in the order.
///
/// An export reads the rows those rules find in one `REPEATABLE READ READ ONLY` transaction, each table's in its
/// primary key's order, each value as SQLite stores it (`PostgresStore.columnValue`: a BOOLEAN as 0 or 1, a DOUBLE
/// PRECISION time as a real, a BYTEA as a blob), so both stores give the same document for the same rows.
///
/// For example:
///
///     let document = try PostgresClientDataEraser(store: store).export(clientID: "acme", at: Date())
///     let erasure = try PostgresClientDataEraser(store: store).erase(clientID: "acme")
public struct PostgresClientDataEraser: ClientDataErasing {
    public let store: PostgresStore

    /// Tables never read: the aggregates SQLite stores without a rowid (`ClientDataEraser.withoutRowID`).
    static let aggregateTables: Set<String> = ["analytics_snapshots"]

    public init(store: PostgresStore) {
        self.store = store
    }

    public func export(clientID: String, at date: Date) throws -> JSONValue {
        try store.transaction(readOnly: true) { session in
            guard
                try session.query("SELECT 1 FROM clients WHERE id = \(clientID)", doing: "finding client \(clientID)")
                    .rows.first != nil
            else { throw ClientExport.notFound(clientID) }
            var tables: [String: [JSONValue]] = [:]
            for (table, rows) in try Self.ownedRows(session, tables: try Self.tables(session), clientID: clientID) {
                let doing = "exporting client \(clientID)'s rows of \(table)"
                let key = try PostgresStore.primaryKey(session, table: table, doing: doing)
                let result = try session.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT * FROM \(PostgresTableLoader.quoted(table)) WHERE ctid = ANY($1::text[]::tid[])"
                            + " ORDER BY " + (key.isEmpty ? "ctid" : key.map(PostgresTableLoader.quoted).joined(separator: ", ")),
                        binds: Self.binds(rows.sorted())),
                    doing: doing)
                tables[table] = try result.rows.map { row in
                    ClientExport.row(row.map(\.columnName), try row.map { try PostgresStore.columnValue($0, table: table) })
                }
            }
            return ClientExport.document(clientID: clientID, at: date, tables: tables)
        }
    }

    public func erase(clientID: String) throws -> ClientErasure {
        try store.transaction(readOnly: false) { session in
            guard
                try session.query(
                    "SELECT 1 FROM clients WHERE id = \(clientID) FOR UPDATE", doing: "locking client \(clientID)"
                ).rows.first != nil
            else {
                throw ClientExport.notFound(clientID)
            }
            var detached = 0
            for table in ClientErasure.ledgerTables.sorted() {
                detached += Int(
                    try session.query(
                        PostgresQuery(
                            unsafeSQL: "UPDATE \(PostgresTableLoader.quoted(table)) SET client_id = NULL WHERE client_id = $1",
                            binds: Self.binds(clientID)),
                        doing: "detaching \(table) from client \(clientID)"
                    ).metadata.rows ?? 0)
            }
            let tables = try Self.tables(session)
            let owned = try Self.ownedRows(session, tables: tables, clientID: clientID)
            var removed: [String: Int] = [:]
            let parents = tables.reduce(into: [String: Set<String>]()) { parents, table in
                parents[table.name] = Set(table.foreignKeys.map { $0.parent })
            }
            for table in ClientErasure.deletionOrder(Array(owned.keys), parents: parents) {
                guard let rows = owned[table] else { continue }
                removed[table, default: 0] += Int(
                    try session.query(
                        PostgresQuery(
                            unsafeSQL: "DELETE FROM \(PostgresTableLoader.quoted(table)) WHERE ctid = ANY($1::text[]::tid[])",
                            binds: Self.binds(rows.sorted())),
                        doing: "erasing client \(clientID) from \(table)"
                    ).metadata.rows ?? 0)
            }
            return ClientErasure(
                clientID: clientID, rowsByTable: removed.filter { $0.value > 0 }, ledgerRowsDetached: detached)
        }
    }

    /// A table's columns, by kind, and its foreign keys, one a column pair.
    struct Table {
        var name: String
        var columns: Set<String> = []
        var textColumns: [String] = []
        var byteColumns: [String] = []
        var foreignKeys: [(column: String, parent: String, parentColumn: String)] = []
    }

    /// The schema's tables but the migrations' own and the aggregates, with their columns and foreign keys.
    static func tables(_ session: PostgresSession) throws -> [Table] {
        var tables: [String: Table] = [:]
        for row in try session.query(
            """
            SELECT c.table_name::text, c.column_name::text, c.data_type::text
            FROM information_schema.columns c JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """, doing: "reading the tables' columns"
        ).rows {
            let (name, column, type) = try row.decode((String, String, String).self)
            guard name != PostgresSchema.migrationsTable, !aggregateTables.contains(name) else { continue }
            var table = tables[name] ?? Table(name: name)
            table.columns.insert(column)
            if type == "text" || type == "character varying" { table.textColumns.append(column) }
            if type == "bytea" { table.byteColumns.append(column) }
            tables[name] = table
        }
        for key in try PostgresForeignKey.all(session, doing: "reading the foreign keys") {
            tables[key.table]?.foreignKeys += key.columns.map { ($0.child, key.parent, $0.parent) }
        }
        return tables.keys.sorted().compactMap { tables[$0] }
    }

    /// The `ctid`s of each table's rows that are the client's, by column, key or mention.
    static func ownedRows(_ session: PostgresSession, tables: [Table], clientID: String) throws -> [String: Set<String>] {
        let identifiers = try identifiers(session, clientID: clientID)
        let patterns = identifiers.map(ClientErasure.containing)
        let bytePatterns = identifiers.map { ClientErasure.containing(escapeEncoded($0)) }
        var owned: [String: Set<String>] = [:]
        for table in tables {
            var conditions: [String] = []
            if table.name == "clients" { conditions.append("id = $1") }
            if table.columns.contains("client_id") { conditions.append("CAST(client_id AS TEXT) = $1") }
            if table.name == "budgets" { conditions.append("(scope_kind = 'client' AND scope_value = $1)") }
            if !identifiers.isEmpty {
                for column in table.textColumns {
                    conditions.append("\(PostgresTableLoader.quoted(column)) COLLATE \"C\" ILIKE ANY ($2::text[])")
                }
                for column in table.byteColumns {
                    conditions.append(
                        "encode(\(PostgresTableLoader.quoted(column)), 'escape') COLLATE \"C\" ILIKE ANY ($3::text[])")
                }
            }
            guard !conditions.isEmpty else { continue }
            var binds = PostgresBindings()
            binds.append(clientID)
            binds.append(patterns)
            binds.append(bytePatterns)
            let rows = try session.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT ctid::text FROM \(PostgresTableLoader.quoted(table.name))
                        WHERE $1::text IS NOT NULL AND $2::text[] IS NOT NULL AND $3::text[] IS NOT NULL
                          AND (\(conditions.joined(separator: " OR ")))
                        """, binds: binds),
                doing: "finding client \(clientID)'s rows in \(table.name)"
            ).rows.map { try $0.decode(String.self) }
            if !rows.isEmpty { owned[table.name] = Set(rows) }
        }
        // Children of owned rows, until nothing new is found (events of drafts, history of deals).
        var changed = true
        while changed {
            changed = false
            for table in tables {
                for key in table.foreignKeys {
                    guard let parentRows = owned[key.parent], !parentRows.isEmpty else { continue }
                    let found = try session.query(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT ctid::text FROM \(PostgresTableLoader.quoted(table.name))
                                WHERE \(PostgresTableLoader.quoted(key.column)) IN (
                                  SELECT \(PostgresTableLoader.quoted(key.parentColumn))
                                  FROM \(PostgresTableLoader.quoted(key.parent)) WHERE ctid = ANY($1::text[]::tid[]))
                                """, binds: Self.binds(parentRows.sorted())),
                        doing: "finding the rows of \(table.name) under client \(clientID)'s \(key.parent)"
                    ).rows.map { try $0.decode(String.self) }
                    let before = owned[table.name, default: []].count
                    owned[table.name, default: []].formUnion(found)
                    if owned[table.name]!.count != before { changed = true }
                }
            }
        }
        return owned.filter { !$0.value.isEmpty }
    }

    /// The values that identify the client (`ClientErasure.identifiers`): its name, its contacts' names, emails and
    /// phones.
    static func identifiers(_ session: PostgresSession, clientID: String) throws -> [String] {
        var values: [String] = []
        for row in try session.query(
            """
            SELECT name FROM clients WHERE id = \(clientID)
            UNION ALL SELECT name FROM contacts WHERE client_id = \(clientID)
            UNION ALL SELECT email FROM contacts WHERE client_id = \(clientID) AND email IS NOT NULL
            UNION ALL SELECT phone FROM contacts WHERE client_id = \(clientID) AND phone IS NOT NULL
            """, doing: "reading what identifies client \(clientID)"
        ).rows {
            values.append(try row.decode(String.self))
        }
        return ClientErasure.identifiers(values)
    }

    /// `value`'s UTF-8 bytes as PostgreSQL's `encode(…, 'escape')` writes a BYTEA: a backslash doubled, a NUL or a
    /// byte of 128 or more as `\` and three octal digits, any other byte as itself.
    static func escapeEncoded(_ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            if byte == UInt8(ascii: "\\") {
                encoded += "\\\\"
            } else if byte == 0 || byte >= 0x80 {
                let octal = String(byte, radix: 8)
                encoded += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            } else {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return encoded
    }

    static func binds(_ value: some PostgresDynamicTypeEncodable) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        return binds
    }
}
