import Foundation

/// What erasing one client removed, per table, and the rules both stores find its rows by (`ClientDataEraser` on
/// SQLite, `PostgresClientDataEraser` on PostgreSQL).
///
/// Rows are found three ways, so tables added later are covered without editing either store: a `client_id` column,
/// a foreign key into a row that is the client's (draft events through drafts, stage history through deals), and any
/// text or blob column that contains one of the client's `identifiers` (an unmatched inbound email, another client's
/// draft that names them).
public struct ClientErasure: Sendable, Hashable, Codable {
    public var clientID: String
    public var rowsByTable: [String: Int]
    /// Usage-ledger rows kept for spend accounting with the client id cleared.
    public var ledgerRowsDetached: Int
    public var total: Int { rowsByTable.values.reduce(0, +) }

    public init(clientID: String, rowsByTable: [String: Int], ledgerRowsDetached: Int) {
        self.clientID = clientID
        self.rowsByTable = rowsByTable
        self.ledgerRowsDetached = ledgerRowsDetached
    }

    /// Ledger tables whose rows are money already spent: kept, detached from the client.
    public static let ledgerTables: Set<String> = ["model_calls", "budget_reservations"]

    /// The values that identify a client, from its name and its contacts' names, emails and phones: trimmed, each
    /// once, sorted, none shorter than 4 characters (a two-letter nickname would match inside ordinary words).
    public static func identifiers(_ values: [String]) -> [String] {
        Array(Set(values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 4 })).sorted()
    }

    /// A LIKE pattern matching any text that contains `value`, with `\` as the escape character.
    public static func containing(_ value: String) -> String {
        "%" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// `tables` ordered so that a table comes before the tables it references (`parents`: a table's foreign keys'
    /// tables), children first, so that deleting in this order no foreign key refuses.
    public static func deletionOrder(_ tables: [String], parents: [String: Set<String>]) -> [String] {
        let wanted = Set(tables)
        var ordered: [String] = []
        var placed: Set<String> = []
        var visiting: Set<String> = []
        func visit(_ name: String) {
            guard !placed.contains(name), !visiting.contains(name) else { return }
            visiting.insert(name)
            // Tables that reference `name` are deleted before it.
            for child in parents.keys.sorted() where wanted.contains(child) && parents[child]!.contains(name) {
                visit(child)
            }
            visiting.remove(name)
            placed.insert(name)
            ordered.append(name)
        }
        for name in tables.sorted() { visit(name) }
        return ordered
    }
}
