import PostgresNIO

extension PostgresStoreError {
    /// Whether the server refused a statement for breaking a unique index (SQLSTATE 23505): a caller that expects it
    /// (a suggestion reopened where another open one stands) says so in its own words.
    var isUniqueViolation: Bool {
        (underlying as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}
