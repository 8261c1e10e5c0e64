import Foundation
import GRDB
import KAMStore
import KAMTesting

@testable import KAMPostgres

/// A new database of one backend opened by several handles, as several processes would open it: `ClientStore`s on one
/// SQLite file, `PostgresStore`s (each its own pool) on one PostgreSQL schema. Every handle reads the same manual
/// clock. A world (`StoreWorld`) opens its stores on the handles; what no store method does (seeding, reading the event
/// log) goes through plain SQL both databases understand.
struct TestDatabase: Sendable {
    enum Handle: Sendable {
        case sqlite(ClientStore)
        case postgres(PostgresStore)
    }

    let handles: [Handle]
    /// Every handle's clock (`now`), moved by the test.
    let clock: ManualWallClock
    let tearDown: @Sendable () async -> Void

    /// The clock as the stores take it.
    var now: @Sendable () -> Date { { [clock] in clock.now } }

    /// `count` handles on a new database of `backend`, their clock `clock`.
    static func open(_ backend: StoreBackend, handles count: Int, clock: ManualWallClock) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let file = TemporaryFile("kam-conformance.sqlite")
            let stores = try (0..<count).map { _ in try ClientStore.open(path: file.path, now: { clock.now }) }
            return TestDatabase(handles: stores.map(Handle.sqlite), clock: clock) { file.remove() }
        case .postgres:
            let (stores, tearDown) = try await PostgresTestServer.openHandles(count)
            return TestDatabase(handles: stores.map(Handle.postgres), clock: clock, tearDown: tearDown)
        }
    }

    /// One value a handle, made by `sqlite` or `postgres`: a world's stores.
    func each<T>(sqlite: (ClientStore) throws -> T, postgres: (PostgresStore) throws -> T) rethrows -> [T] {
        try handles.map { try Self.value(of: $0, sqlite: sqlite, postgres: postgres) }
    }

    /// The first handle's value of `each`.
    func first<T>(sqlite: (ClientStore) throws -> T, postgres: (PostgresStore) throws -> T) rethrows -> T {
        try Self.value(of: handles[0], sqlite: sqlite, postgres: postgres)
    }

    private static func value<T>(
        of handle: Handle, sqlite: (ClientStore) throws -> T, postgres: (PostgresStore) throws -> T
    ) rethrows -> T {
        switch handle {
        case .sqlite(let store): try sqlite(store)
        case .postgres(let store): try postgres(store)
        }
    }

    /// Runs `statements` through the first handle, in one transaction on SQLite.
    func execute(_ statements: [String]) async throws {
        switch handles[0] {
        case .sqlite(let store):
            try await store.writer.write { db in
                for sql in statements { try db.execute(sql: sql) }
            }
        case .postgres(let store):
            for sql in statements { try await store.execute(sql) }
        }
    }

    /// The first column of a query's rows, as text.
    func strings(_ sql: String) async throws -> [String] {
        switch handles[0] {
        case .sqlite(let store): try await store.writer.read { db in try String.fetchAll(db, sql: sql) }
        case .postgres(let store): try await store.strings(sql)
        }
    }

    /// How many rows of `table` match `condition`.
    func count(_ table: String, _ condition: String = "TRUE") async throws -> Int {
        Int(try await strings("SELECT CAST(COUNT(*) AS TEXT) FROM \(table) WHERE \(condition)").first ?? "") ?? -1
    }

    /// Every domain event, oldest first, as `kind subject payload` (`-` for no subject).
    func events() async throws -> [String] {
        try await strings("SELECT kind || ' ' || COALESCE(subject_id, '-') || ' ' || payload FROM events ORDER BY id")
    }
}
