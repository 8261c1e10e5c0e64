import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL database holding KAM's tables: a pool of connections, migrated on open.
///
/// Today it holds the budget ledger and the usage ledger (`PostgresBudgetStore`, `PostgresCallLog`); the
/// rest of KAM's store is still SQLite only (docs/postgresql.md).
///
/// `open` connects once on its own first, so an unreachable server, a bad password or a missing database
/// is a clear `PostgresStoreError` at once rather than a pool retrying in the background; it then applies
/// the migrations (`PostgresMigrator`) and starts the pool (`PostgresClient`, at most `poolSize`
/// connections, each with the configured `statement_timeout` and `search_path`).
///
/// For example:
///
///     let store = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
///     let ledger = BudgetLedger(store: PostgresBudgetStore(store: store), prices: prices, now: { Date() })
///     ...
///     await store.close()
public final class PostgresStore: Sendable {
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    /// The pool's background work and every lease run here, off the cooperative pool (`EventLoopTaskExecutor`).
    let executor: EventLoopTaskExecutor
    let logger: Logger
    private let running: Task<Void, Never>

    private init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let eventLoopGroup = PostgresClient.defaultEventLoopGroup
        executor = EventLoopTaskExecutor(eventLoop: eventLoopGroup.any())
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: Self.clientTLS(configuration.tls))
        clientConfiguration.options.maximumConnections = configuration.poolSize
        clientConfiguration.options.connectTimeout = configuration.connectTimeout
        clientConfiguration.options.additionalStartupParameters = Self.startupParameters(configuration)
        let client = PostgresClient(
            configuration: clientConfiguration, eventLoopGroup: eventLoopGroup, backgroundLogger: logger)
        self.client = client
        running = Task(executorPreference: executor) { await client.run() }
    }

    /// Connects, checks (and unless `configuration.migrates` is false, migrates) the schema, and starts the pool.
    ///
    /// - Throws: `PostgresStoreError`: `.unreachable`, `.badCredentials`, `.noDatabase`, `.newerSchema`,
    ///   `.noSchema` (not migrated and `migrates` is false).
    public static func open(
        _ configuration: PostgresStoreConfiguration, logger: Logger = Logger(label: "kam.postgres")
    ) async throws -> PostgresStore {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(configuration), id: 0, logger: logger)
        } catch {
            throw PostgresStoreError(error, configuration: configuration, doing: "connecting")
        }
        do {
            try await PostgresMigrator(configuration: configuration, logger: logger).prepare(connection)
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw PostgresStoreError(error, configuration: configuration, doing: "migrating")
        }
        return PostgresStore(configuration: configuration, logger: logger)
    }

    /// How long `close` waits for the pool to stop.
    static let closeTimeout: Duration = .seconds(15)

    /// Stops the pool and closes its connections, waiting at most `closeTimeout` for the pool's run to end: a pool
    /// whose connections are closed but whose run has not returned by then is left behind (and named in a warning)
    /// rather than holding up the caller's shutdown for good. A CI rehearsal on 2026-12-06 had three tests' teardowns
    /// waiting so, with no connection of theirs left open on the server.
    public func close() async {
        running.cancel()
        let running = self.running
        let stopped = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let once = ResumeOnce(continuation)
            Task { await running.value; once.resume(true) }
            Task { try? await Task.sleep(for: Self.closeTimeout); once.resume(false) }
        }
        if !stopped {
            logger.warning(
                "the connection pool of \(configuration.place) did not stop within \(Self.closeTimeout); left behind")
        }
    }

    /// Runs `body` on a pooled connection inside one transaction, synchronously: the caller's thread waits.
    ///
    /// `BEGIN` (REPEATABLE READ READ ONLY for `readOnly`), the body, `COMMIT`; any error rolls back and is
    /// rethrown as it was (a `BudgetError` from the body stays one).
    func transaction<T>(readOnly: Bool, _ body: (PostgresSession) throws -> T) throws -> T {
        try withLeasedConnection { session in
            try session.query(
                readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", doing: "starting a transaction")
            do {
                let result = try body(session)
                try session.query("COMMIT", doing: "committing")
                return result
            } catch {
                _ = try? session.query("ROLLBACK", doing: "rolling back")
                throw error
            }
        }
    }

    /// Leases a connection for an async caller (the usage ledger).
    func withConnection<T: Sendable>(doing: String, _ body: @Sendable (PostgresConnection) async throws -> T)
        async throws -> T
    {
        do {
            // On the pool's own event loop, behind `run()`'s first job: never a lease before the pool runs.
            return try await withTaskExecutorPreference(executor) {
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch {
            throw PostgresStoreError(error, configuration: configuration, doing: doing)
        }
    }

    /// Leases a connection for a synchronous caller, through a `ConnectionHandoff`.
    func withLeasedConnection<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let handoff = ConnectionHandoff()
        let lease = Task(executorPreference: executor) { [client] in
            do {
                try await client.withConnection { connection in await handoff.lend(connection) }
            } catch {
                handoff.fail(error)
            }
        }
        switch handoff.take(timeout: configuration.connectTimeout) {
        case .success(let connection):
            defer { handoff.giveBack() }
            return try body(PostgresSession(connection: connection, configuration: configuration, logger: logger))
        case .failure(let error):
            throw PostgresStoreError(error, configuration: configuration, doing: "leasing a connection")
        case nil:
            lease.cancel()
            throw PostgresStoreError.poolExhausted(configuration, doing: "leasing a connection")
        }
    }

    static func startupParameters(_ configuration: PostgresStoreConfiguration) -> [(String, String)] {
        [
            ("application_name", "kam"), ("search_path", configuration.schema),
            ("statement_timeout", "\(configuration.statementTimeoutMilliseconds)"),
        ]
    }

    static func connectionConfiguration(_ configuration: PostgresStoreConfiguration) throws
        -> PostgresConnection.Configuration
    {
        let tls: PostgresConnection.Configuration.TLS =
            switch configuration.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var connection = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        connection.options.connectTimeout = TimeAmount.nanoseconds(
            Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                + configuration.connectTimeout.components.attoseconds / 1_000_000_000)
        connection.options.additionalStartupParameters = startupParameters(configuration)
        return connection
    }

    static func clientTLS(_ mode: PostgresStoreConfiguration.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
