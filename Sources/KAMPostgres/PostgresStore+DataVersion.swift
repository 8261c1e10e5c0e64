import KAMCore
import PostgresNIO

extension PostgresStore {
    /// The database's version now (`StoreVersion`: the transaction snapshot, `pg_current_snapshot()`), for a cache of
    /// what is read from it: any commit, by this process or another server on the database, changes it; reads do not.
    ///
    /// One statement on a pooled connection, outside a transaction (one round trip), run on the connection's event loop
    /// (`onLoop`: the caller waits once, rather than taking the connection to its own thread). Read it before the values it
    /// keeps, so a value is never older than its version. Transaction ids are the server's, so a commit in another
    /// database of the same server changes it too: a value is then read again, never given back stale.
    ///
    /// - Throws: `PostgresStoreError` when the server cannot be reached or answers something else than a snapshot.
    public func dataVersion() throws -> StoreVersion {
        let text = try onLoop(doing: "reading the data version") { connection, logger in
            var snapshot: String?
            for try await text in try await connection.query("SELECT pg_current_snapshot()::text", logger: logger)
                .decode(String.self)
            {
                snapshot = text
            }
            return snapshot
        }
        guard let text, let version = StoreVersion(postgresSnapshot: text) else {
            throw PostgresStoreError(
                .queryFailed,
                "\(configuration.place) answered '\(text ?? "no row")' to pg_current_snapshot() while reading the data version: "
                    + "KAM needs PostgreSQL 13 or newer")
        }
        return version
    }
}
