import Foundation
import GRDB
import KAMCore

/// GDPR access and erasure for one client: everything stored about it as JSON, or removed in one
/// transaction.
///
/// Rows are found three ways, so tables added later are covered without editing this file: a
/// `client_id` column, a foreign key into a row that is the client's (draft events through drafts,
/// stage history through deals), and any text or blob column that contains the client's name, a
/// contact's name, email or phone (an unmatched inbound email, another client's draft that names them).
public struct ClientDataEraser: ClientDataErasing {
    /// What was removed, per table (the core's `ClientErasure`).
    public typealias Erasure = ClientErasure

    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Ledger tables whose rows are money already spent: kept, detached from the client.
    static let ledgerTables = ClientErasure.ledgerTables
    /// Tables never touched: schema bookkeeping.
    static let skippedTables: Set<String> = ["grdb_migrations", "sqlite_sequence"]

    /// The values that identify the client: its name, its contacts' names, emails and phones.
    static func identifiers(_ db: Database, clientID: String) throws -> [String] {
        var values: [String] = []
        // StoredText, not String: a name holding a NUL must be matched whole, not cut at the NUL.
        if let name = try StoredText.fetchOne(db, sql: "SELECT name FROM clients WHERE id = ?", arguments: [clientID]) {
            values.append(name.string)
        }
        for row in try Row.fetchAll(db, sql: "SELECT name, email, phone FROM contacts WHERE client_id = ?", arguments: [clientID]) {
            for column in ["name", "email", "phone"] {
                if let value: String = row[column] { values.append(value) }
            }
        }
        return ClientErasure.identifiers(values)
    }

    struct TableInfo {
        var name: String
        var columns: [String]
        /// (column, parent table, parent column)
        var foreignKeys: [(String, String, String)]
    }

    /// Tables stored without a rowid: aggregates that name no client (the analytics snapshots: figures per owner,
    /// band and stage). Rows are found and removed by rowid, so such a table is not read; `ClientDeletionTests`
    /// checks that none of them has a `client_id` column, so a table of a client's rows cannot be one unnoticed.
    static func withoutRowID(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT ROWID%'"))
    }

    static func tables(_ db: Database) throws -> [TableInfo] {
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        let aggregates = try withoutRowID(db)
        return try names.filter { !skippedTables.contains($0) && !aggregates.contains($0) }.map { name in
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(name.quotedDatabaseIdentifier))").map { $0["name"] as String }
            let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(name.quotedDatabaseIdentifier))").map {
                ($0["from"] as String, $0["table"] as String, ($0["to"] as String?) ?? "id")
            }
            return TableInfo(name: name, columns: columns, foreignKeys: keys)
        }
    }

    /// rowids of each table's rows that are the client's, by column, key or mention.
    static func ownedRows(_ db: Database, clientID: String) throws -> [String: Set<Int64>] {
        let tables = try tables(db)
        let identifiers = try identifiers(db, clientID: clientID)
        var owned: [String: Set<Int64>] = [:]
        for table in tables {
            let t = table.name.quotedDatabaseIdentifier
            var ids = Set<Int64>()
            if table.name == "clients" {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT rowid FROM clients WHERE id = ?", arguments: [clientID]))
            }
            if table.columns.contains("client_id") {
                ids.formUnion(try Int64.fetchAll(db, sql: "SELECT rowid FROM \(t) WHERE client_id = ?", arguments: [clientID]))
            }
            if table.name == "budgets" {
                ids.formUnion(try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM budgets WHERE scope_kind = 'client' AND scope_value = ?", arguments: [clientID]))
            }
            for column in table.columns {
                let c = column.quotedDatabaseIdentifier
                for value in identifiers {
                    let pattern = ClientErasure.containing(value)
                    ids.formUnion(try Int64.fetchAll(
                        db, sql: "SELECT rowid FROM \(t) WHERE CAST(\(c) AS TEXT) LIKE ? ESCAPE '\\'", arguments: [pattern]))
                }
            }
            owned[table.name] = ids
        }
        // Children of owned rows, until nothing new is found (events of drafts, history of deals).
        var changed = true
        while changed {
            changed = false
            for table in tables {
                for (column, parent, parentColumn) in table.foreignKeys {
                    guard let parentRows = owned[parent], !parentRows.isEmpty else { continue }
                    let list = parentRows.map(String.init).joined(separator: ",")
                    let found = try Int64.fetchAll(
                        db,
                        sql: """
                            SELECT rowid FROM \(table.name.quotedDatabaseIdentifier) WHERE \(column.quotedDatabaseIdentifier) IN
                            (SELECT \(parentColumn.quotedDatabaseIdentifier) FROM \(parent.quotedDatabaseIdentifier) WHERE rowid IN (\(list)))
                            """)
                    let before = owned[table.name, default: []].count
                    owned[table.name, default: []].formUnion(found)
                    if owned[table.name]!.count != before { changed = true }
                }
            }
        }
        return owned.filter { !$0.value.isEmpty }
    }

    /// Everything stored about the client, table by table, as one document (`ClientExport`), read in one transaction:
    /// each table's rows in its primary key's order (bytes for text, as PostgreSQL's `COLLATE "C"`), every column as
    /// stored.
    ///
    /// - Throws: ``ExportError`` `client_not_found` when no client has this id.
    public func export(clientID: String, at date: Date) throws -> JSONValue {
        try store.writer.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clients WHERE id = ?", arguments: [clientID]) == true else {
                throw ClientExport.notFound(clientID)
            }
            var tables: [String: [JSONValue]] = [:]
            for (table, rowids) in try Self.ownedRows(db, clientID: clientID) {
                let list = rowids.sorted().map(String.init).joined(separator: ",")
                let key = try String.fetchAll(
                    db, sql: "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", arguments: [table])
                let order = key.isEmpty
                    ? "rowid" : key.map { "\($0.quotedDatabaseIdentifier) COLLATE BINARY" }.joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) WHERE rowid IN (\(list)) ORDER BY \(order)")
                tables[table] = rows.map { row in
                    ClientExport.row(Array(row.columnNames), row.databaseValues.map(ClientStore.columnValue))
                }
            }
            return ClientExport.document(clientID: clientID, at: date, tables: tables)
        }
    }

    /// Removes the client and every row that is theirs or names them, in one transaction.
    ///
    /// Usage-ledger rows (`model_calls`, `budget_reservations`) record money already spent: they keep
    /// their tokens and cost with the client id cleared, unless a text column names the client, in
    /// which case they are removed too.
    public func erase(clientID: String) throws -> Erasure {
        try store.writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clients WHERE id = ?", arguments: [clientID]) == true else {
                throw ClientExport.notFound(clientID)
            }
            var detached = 0
            for table in Self.ledgerTables {
                let exists = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) == true
                guard exists else { continue }
                try db.execute(sql: "UPDATE \(table) SET client_id = NULL WHERE client_id = ?", arguments: [clientID])
                detached += db.changesCount
            }
            let owned = try Self.ownedRows(db, clientID: clientID)
            var removed: [String: Int] = [:]
            // Children first so foreign keys never refuse; cascades may already have taken some rows.
            let order = try Self.deletionOrder(db, tables: Array(owned.keys))
            for table in order {
                guard let rowids = owned[table] else { continue }
                let list = rowids.map(String.init).joined(separator: ",")
                try db.execute(sql: "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE rowid IN (\(list))")
                removed[table, default: 0] += db.changesCount
            }
            return Erasure(clientID: clientID, rowsByTable: removed.filter { $0.value > 0 }, ledgerRowsDetached: detached)
        }
    }

    /// Tables ordered so that a table comes before the tables it references (`ClientErasure.deletionOrder`).
    static func deletionOrder(_ db: Database, tables names: [String]) throws -> [String] {
        var parents: [String: Set<String>] = [:]
        for table in try tables(db) { parents[table.name] = Set(table.foreignKeys.map { key in key.1 }) }
        return ClientErasure.deletionOrder(names, parents: parents)
    }
}
