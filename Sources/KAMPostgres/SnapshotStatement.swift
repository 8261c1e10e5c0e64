import PostgresNIO

/// A client's snapshot statement (`PostgresSnapshotQueries`) as a named prepared statement: `$1` the client's id,
/// `$2` the window's start (Unix seconds).
///
/// PostgresNIO prepares a statement the first time a connection executes it and keeps it by name on that connection,
/// so the server plans the statement once a connection instead of once a snapshot (planning costs more than
/// executing its small indexed reads). The rows come back undecoded: `PostgresMemoryRows` maps them.
struct SnapshotStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    static var name: String { "kam_snapshot" }
    static var sql: String { PostgresSnapshotQueries.sql }
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
