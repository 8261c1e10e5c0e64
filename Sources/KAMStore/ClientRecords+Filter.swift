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
}
