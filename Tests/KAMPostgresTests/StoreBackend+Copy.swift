import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// The backends of the suites that only read: a test seeds one SQLite store and reads it as each backend, the store
/// itself or a fresh PostgreSQL schema it is copied into whole by `StoreCopy` (`kam db copy`), so both hold the same
/// rows.
extension StoreBackend {
    /// Runs `body` with this backend's analytics reader of `source`'s rows; a PostgreSQL schema is dropped whatever
    /// happens.
    func withAnalyticsReader(of source: ClientStore, _ body: (any AnalyticsReading) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            try await body(AnalyticsRepository(writer: source.writer))
        case .postgres:
            try await Self.withPostgresCopy(of: source) { database in
                try await body(PostgresAnalyticsStore(store: database))
            }
        }
    }

    /// Runs `body` on a fresh PostgreSQL schema holding every row of `source` (`StoreCopy`), dropped whatever happens;
    /// skips the test without a server.
    static func withPostgresCopy(of source: ClientStore, _ body: (PostgresStore) async throws -> Void) async throws {
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        try await withTearDown(database, { try? await PostgresTestServer.drop(database) }) { database in
            let copied = try StoreCopy.copy(from: source, to: database)
            #expect(copied.leftOut.isEmpty, "tables PostgreSQL lacks: \(copied.leftOut)")
            try await body(database)
        }
    }
}
