import Logging
import PostgresNIO

extension PostgresStore {
    /// Runs `body` on a pooled connection, as one task on that connection's event loop, and waits for it
    /// synchronously. There is no transaction around `body`: each of its statements reads its own snapshot of the
    /// database, so a read that must agree with itself is one statement (`PostgresClientMemory.snapshot`).
    ///
    /// `transaction(readOnly:_:)` hands the connection to the caller's thread, so each statement crosses from it to
    /// the event loop and back; here the caller waits once, and every statement of `body` is written and answered
    /// on the connection's own thread. `body` may use named prepared statements (`connection.execute(_:logger:)`):
    /// PostgresNIO prepares each once a connection and reuses its plan.
    ///
    /// - Throws: `PostgresStoreError` (`.poolExhausted` when no connection is leased within `connectTimeout`), or
    ///   what `body` throws.
    func onLoop<T: Sendable>(
        doing: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) throws -> T {
        let outcome = LeaseOutcome<T>()
        let lease = Task(executorPreference: executor) { [client, logger] in
            do {
                let value = try await client.withConnection { connection in
                    guard outcome.lease() else { throw CancellationError() }
                    return try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: connection.eventLoop)) {
                        try await body(connection, logger)
                    }
                }
                outcome.finish(.success(value))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        switch outcome.wait(leaseTimeout: configuration.connectTimeout) {
        case .success(let value):
            return value
        case .failure(let error):
            throw PostgresStoreError(error, configuration: configuration, doing: doing)
        case nil:
            lease.cancel()
            throw PostgresStoreError.poolExhausted(configuration, doing: doing)
        }
    }
}
