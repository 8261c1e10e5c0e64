import Foundation
import KAMCore
import PostgresNIO

/// A client import into PostgreSQL (`ClientImporter(target:)`): one transaction a file, with the same checks, matches,
/// summaries and events as on SQLite, since the importer is the same and only its writes come here
/// (`PostgresImportSink`, through `PostgresClientRecordStore`'s statements).
///
/// SQLite's write lock makes an import the only writer while it runs, so what it checked at the start (which clients
/// and users are stored) still holds at its last row. Here the transaction first takes an advisory lock
/// (`pg_advisory_xact_lock`, keyed by the schema) held until it commits or rolls back: a second process's import
/// waits for the first and then reads all of it (READ COMMITTED), so two imports of one file create each record once
/// and the second updates what the first created. Writes other than imports do not take the lock; the few places an
/// import counts on a row not being there meanwhile (a client it checked was new) fall back to the upsert.
///
/// For example:
///
///     let importer = ClientImporter(target: PostgresImportTarget(store: postgres), ids: ids)
///     let summary = try importer.importFile(at: "export.csv", mapping: .workbench)
public struct PostgresImportTarget: ImportTarget {
    public let store: PostgresStore
    public let now: @Sendable () -> Date

    /// The advisory lock's first key: "kam imports" (the second is the schema name's hash). Client, campaign and
    /// ticket imports all take it (`holdLock`), so one import of any kind runs at a time, as on SQLite.
    static let lockKey: Int32 = 0x4B41_4D24

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// - Throws: what `body` throws (after rolling back); `PostgresStoreError` when the server cannot be reached or a
    ///   statement times out (the default statement timeout bounds the wait for another import).
    public func importing<T>(
        _ file: String, operation: String, rowsComing: Int, _ body: (any ImportSink) throws -> T
    ) throws -> T {
        try store.transaction(readOnly: false) { session in
            try Self.holdLock(session, schema: store.configuration.schema, before: operation)
            return try body(PostgresImportSink(session: session))
        }
    }

    /// Waits for any other import into `schema` (a client, campaign or ticket import, in any process) to end, then
    /// holds the imports' lock until `session`'s transaction ends: what an import checks at its start (the clients,
    /// contacts and campaigns stored) still holds at its last row.
    static func holdLock(_ session: PostgresSession, schema: String, before operation: String) throws {
        try session.query(
            "SELECT pg_advisory_xact_lock(\(lockKey), hashtext(\(schema)))",
            doing: "waiting for another import to finish before \(operation)")
    }
}
