import GRDB

extension ClientRecords {
    /// A `WHERE` clause of the columns that must equal their value (nil: any value) and an extra condition
    /// (nil: none), with its arguments; empty when nothing filters. The lists of tasks and deals use it.
    static func filter(equal columns: [(column: String, value: String?)], and condition: String?)
        -> (sql: String, arguments: StatementArguments)
    {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for (column, value) in columns {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            _ = arguments.append(contentsOf: .storing([value]))
        }
        if let condition { conditions.append(condition) }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// The condition "the row's client is owned by one of `owners`" (an access scope), or nil when `owners` is
    /// nil (everything). Owner ids are quoted as SQL string literals, since `filter` binds only its columns.
    static func ownedBy(_ owners: Set<String>?, column: String = "client_id") -> String? {
        guard let owners else { return nil }
        let literals = owners.sorted().map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
        return "\(column) IN (SELECT id FROM clients WHERE owner_id IN (\(literals.joined(separator: ", "))))"
    }

    /// Both conditions, or the one that is there.
    static func both(_ first: String?, _ second: String?) -> String? {
        [first, second].compactMap { $0 }.joined(separator: " AND ").nilIfEmpty
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
