import PostgresNIO

/// One statement of a client's snapshot as a named prepared statement: `$1` the client's id, `$2` the window's start
/// (Unix seconds; a statement that has no window ignores it).
///
/// PostgresNIO prepares a statement the first time a connection executes it and keeps it by name on that connection,
/// so the server plans each statement of `PostgresSnapshotQueries` once a connection instead of once a snapshot
/// (planning cost ten times the execution of these small indexed reads). The rows come back undecoded:
/// `PostgresMemoryRows` maps them.
struct SnapshotStatement<Query: PostgresSnapshotQueries.Query>: PostgresPreparedStatement {
    typealias Row = PostgresRow

    /// Short, as PostgreSQL cuts a name at 63 bytes: the default, the generic type's full name, would give every
    /// statement the same one.
    static var name: String { "kam_snapshot_\(Query.self)" }
    static var sql: String { Query.sql }
    static var bindingDataTypes: [PostgresDataType] { [.text, .float8] }

    let clientID: String
    let since: Double

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(clientID)
        bindings.append(since)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}
