import Foundation
import KAMCore
import PostgresNIO

/// Client memory read from PostgreSQL: the snapshot context assembly starts from, and the resolution of a CLIENT
/// argument — the same answers as `ClientStore` gives from SQLite (`MemoryConformanceTests` compares them).
///
/// A snapshot (the start of every context assembly) is one statement (`PostgresSnapshotQueries`), prepared once a
/// connection and run on the connection's event loop while the caller waits once (`PostgresStore.onLoop`): one round
/// trip, and one read of the database, so its parts agree as SQLite's one read transaction makes them agree. The
/// resolution of a CLIENT argument, once a command, is one `REPEATABLE READ READ ONLY` transaction that goes
/// statement by statement (`PostgresStore.transaction`).
///
/// For example:
///
///     let store = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
///     let memory = PostgresClientMemory(store: store)
///     let context = try ContextAssembler(tokenCounter: tokenizer).assemble(clientID: "acme", from: memory, now: Date())
public struct PostgresClientMemory: ClientMemoryReading {
    let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot? {
        let since = activitiesSince.timeIntervalSince1970
        return try store.onLoop(doing: "reading the snapshot of client \(clientID)") { connection, logger in
            try await Self.snapshot(connection, logger: logger, clientID: clientID, since: since)
        }
    }

    public func resolveClient(_ query: String) throws -> ClientResolution {
        try store.transaction(readOnly: true) { session in try Self.resolveClient(session, query) }
    }

    /// The rows of `query`, each mapped by `map`.
    static func all<Value>(
        _ session: PostgresSession, _ query: PostgresQuery, doing: String, _ map: (PostgresRow) throws -> Value
    ) throws -> [Value] {
        try session.query(query, doing: doing).rows.map(map)
    }
}
