import Foundation
import Testing

@testable import KAMPostgres

/// The PostgreSQL server the tests use: `KAM_TEST_POSTGRES_URL` (`tools/postgres` starts one and prints it).
///
/// Each test opens its stores on a schema of its own (`kam_test_<random>`), so tests run in parallel on one
/// database and leave nothing behind but that schema, which `drop` removes. Without a reachable server a
/// PostgreSQL case is cancelled (skipped) with the reason printed; under CI (`CI` set) or with
/// `KAM_REQUIRE_POSTGRES=1` it fails instead, so a broken service can never pass as a skip.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["KAM_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static var isRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return !(environment["CI"] ?? "").isEmpty || environment["KAM_REQUIRE_POSTGRES"] == "1"
    }

    /// A fresh schema name for one test.
    static func freshSchema() -> String {
        "kam_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// The configuration of the test server on `schema`, or skips the current test when there is none.
    static func configuration(schema: String, poolSize: Int = 4) throws -> PostgresStoreConfiguration {
        guard let url else {
            try skip(
                "KAM_TEST_POSTGRES_URL is not set: start a server with `tools/postgres` and export the URL it prints")
        }
        var configuration = try PostgresStoreConfiguration(url: url)
        configuration.schema = schema
        configuration.poolSize = poolSize
        return configuration
    }

    /// The test server's URL on `schema` (`?schema=`), as `KAM_DATABASE_URL` or `database:` would name it; skips the
    /// current test when there is no server.
    static func url(schema: String) throws -> String {
        guard let url else {
            try skip(
                "KAM_TEST_POSTGRES_URL is not set: start a server with `tools/postgres` and export the URL it prints")
        }
        return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// Opens a store on `schema` (migrating it), or skips the current test when the server is not reachable.
    static func open(schema: String, poolSize: Int = 4) async throws -> PostgresStore {
        let configuration = try configuration(schema: schema, poolSize: poolSize)
        do {
            return try await PostgresStore.open(configuration)
        } catch let error as PostgresStoreError where error.code == .unreachable {
            try skip("\(error.message)")
        }
    }

    /// `count` stores on one fresh schema, as `count` processes would open it (each its own pool), and what closes them
    /// and drops the schema; skips the current test when the server is not reachable.
    static func openHandles(_ count: Int) async throws -> (stores: [PostgresStore], tearDown: @Sendable () async -> Void) {
        let schema = freshSchema()
        var stores: [PostgresStore] = []
        for _ in 0..<count { stores.append(try await open(schema: schema)) }
        let opened = stores
        return (opened, {
            for store in opened.dropFirst() { await store.close() }
            try? await drop(opened[0])
        })
    }

    /// Drops a test's schema with everything in it and closes the store.
    static func drop(_ store: PostgresStore) async throws {
        try await store.execute("DROP SCHEMA IF EXISTS \(store.configuration.schema) CASCADE")
        await store.close()
    }

    /// Cancels the current test (case) with `reason`, printed; records a failure instead when the server is required.
    static func skip(_ reason: String) throws -> Never {
        if isRequired {
            Issue.record("PostgreSQL is required here (CI or KAM_REQUIRE_POSTGRES=1) but: \(reason)")
            throw PostgresStoreError(.unreachable, reason)
        }
        print("skipped: \(reason)")
        try Test.cancel(Comment(rawValue: reason))
    }
}
