import Logging
import PostgresNIO

/// One leased connection inside a transaction, used synchronously by the ledger's store.
///
/// Each statement is sent through PostgresNIO's `EventLoopFuture` API and waited for on the caller's
/// thread (never an event loop's), so a `BudgetTransaction` method can stay a plain `throws` function.
struct PostgresSession {
    let connection: PostgresConnection
    let configuration: PostgresStoreConfiguration
    let logger: Logger
    /// When set, every event appended through this session records its id here (a rule's writes: their events are
    /// the ones stamped with its chain).
    var appendedEvents: PostgresEventRecorder? = nil

    /// Runs one statement and returns its rows (and, in `metadata.rows`, how many it changed).
    @discardableResult
    func query(_ query: PostgresQuery, doing: String) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PostgresStoreError(error, configuration: configuration, doing: doing)
        }
    }
}
