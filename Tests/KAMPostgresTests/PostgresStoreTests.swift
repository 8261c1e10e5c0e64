import Foundation
import KAMCore
import KAMStore
import Testing

@testable import KAMPostgres

/// Opening a PostgreSQL store: the URL, the shared migration ids, and the errors a person gets.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("the PostgreSQL migrations are the SQLite list's ids, in the same order, or catch-up migrations")
    func migrationIDsFollowSQLite() {
        let sqlite = KAMSchema.migrations.map(\.id)
        let all = PostgresSchema.migrations.map(\.id)
        #expect(Set(all).count == all.count)
        let catchUp = all.filter { $0.hasPrefix("postgres-") }
        #expect(catchUp.allSatisfy { !sqlite.contains($0) && $0.wholeMatch(of: /postgres-[a-z-]+-v[0-9]+/) != nil })
        let postgres = all.filter { !$0.hasPrefix("postgres-") }
        let positions = postgres.map { sqlite.firstIndex(of: $0) }
        #expect(!positions.contains(nil), "every PostgreSQL migration id must be a KAMSchema id: \(postgres)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted())
        // The ledger's three steps are all there.
        #expect(postgres.starts(with: ["ledger-v1", "ledger-v2-abandoned-reservations", "ledger-v3-run-budgets"]))
    }

    @Test("a URL gives server, credentials, database, schema, pool and timeouts")
    func url() throws {
        let configuration = try PostgresStoreConfiguration(
            url: "postgres://ana:s%40cret@db.internal:6543/kam?schema=team_a&pool_size=20&statement_timeout=2.5"
                + "&connect_timeout=3&sslmode=disable")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "ana")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == "kam")
        #expect(configuration.schema == "team_a")
        #expect(configuration.poolSize == 20)
        #expect(configuration.statementTimeoutMilliseconds == 2_500)
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.tls == .disable)
        #expect(!configuration.place.contains("s@cret"))
        let defaults = try PostgresStoreConfiguration(url: "postgresql://db/kam")
        #expect(defaults.port == 5432)
        #expect(defaults.schema == "public")
        #expect(defaults.poolSize == PostgresStoreConfiguration().poolSize)
    }

    @Test(
        "a bad URL is refused with the part that is wrong and never the password",
        arguments: [
            ("mysql://u:p@h/kam", "not a postgres:// URL"), ("postgres://u:hunter2@h", "no database name"),
            ("postgres://u:hunter2@h/kam?schema=Bad-Name", "schema 'Bad-Name'"),
            ("postgres://h/kam?pool_size=0", "pool_size"),
            ("postgres://h/kam?sslmode=always", "sslmode"),
            ("postgres://h/kam?colour=red", "unknown parameter 'colour'"),
        ])
    func badURL(url: String, says: String) {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresStoreConfiguration(url: url) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains(says) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test("no server at the address is `postgres.unreachable`, saying where and what to do")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let configuration = PostgresStoreConfiguration(port: 1, database: "kam", tls: .disable)
        let error = await #expect(throws: PostgresStoreError.self) { try await PostgresStore.open(configuration) }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("127.0.0.1:1") == true)
        #expect(error?.message.contains("tools/postgres") == true)
    }

    @Test("an unknown user is `postgres.bad-credentials`; an unknown database is `postgres.no-database`")
    func credentialsAndDatabase() async throws {
        var configuration = try PostgresTestServer.configuration(schema: PostgresTestServer.freshSchema())
        var stranger = configuration
        stranger.username = "kam_no_such_user"
        stranger.password = "wrong"
        let refused = await #expect(throws: PostgresStoreError.self) { try await PostgresStore.open(stranger) }
        if refused?.code == .unreachable { try PostgresTestServer.skip(refused?.message ?? "") }
        #expect(refused?.code == .badCredentials)
        #expect(refused?.message.contains("kam_no_such_user") == true)
        configuration.database = "kam_no_such_database"
        let missing = await #expect(throws: PostgresStoreError.self) { try await PostgresStore.open(configuration) }
        #expect(missing?.code == .noDatabase)
        #expect(missing?.message.contains("createdb") == true)
    }

    @Test("a database a newer KAM migrated is refused, and one never migrated is refused when migrating is off")
    func newerAndMissingSchema() async throws {
        let schema = PostgresTestServer.freshSchema()
        var configuration = try PostgresTestServer.configuration(schema: schema)
        configuration.migrates = false
        let empty = await #expect(throws: PostgresStoreError.self) { try await PostgresStore.open(configuration) }
        if empty?.code == .unreachable { try PostgresTestServer.skip(empty?.message ?? "") }
        #expect(empty?.code == .noSchema)
        #expect(empty?.message.contains("ledger-v1") == true)

        let store = try await PostgresTestServer.open(schema: schema)
        try await store.execute("INSERT INTO kam_migrations (id) VALUES ('ledger-v9-from-the-future')")
        let newer = await #expect(throws: PostgresStoreError.self) {
            try await PostgresStore.open(try PostgresTestServer.configuration(schema: schema))
        }
        #expect(newer?.code == .newerSchema)
        #expect(newer?.message.contains("ledger-v9-from-the-future") == true)
        try await PostgresTestServer.drop(store)
    }

    @Test("several processes migrating one new database at once apply each migration once")
    func concurrentMigrations() async throws {
        let schema = PostgresTestServer.freshSchema()
        let configuration = try PostgresTestServer.configuration(schema: schema)
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self, returning: [PostgresStore].self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresStore.open(configuration) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let applied = try await stores[0].strings("SELECT id FROM kam_migrations ORDER BY applied_at, id")
        #expect(applied.sorted() == PostgresSchema.migrations.map(\.id).sorted())
        for store in stores.dropFirst() { await store.close() }
        try await PostgresTestServer.drop(stores[0])
    }

    @Test("a statement that runs past the statement timeout is `postgres.timeout`")
    func statementTimeout() async throws {
        let schema = PostgresTestServer.freshSchema()
        let migrated = try await PostgresTestServer.open(schema: schema)
        var configuration = try PostgresTestServer.configuration(schema: schema)
        configuration.statementTimeout = .milliseconds(50)
        let store = try await PostgresStore.open(configuration)
        let error = #expect(throws: PostgresStoreError.self) {
            try store.transaction(readOnly: true) { session in
                try session.query("SELECT pg_sleep(5)", doing: "sleeping")
            }
        }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("50 ms") == true)
        // The connection went back to the pool in a usable state.
        #expect(try store.transaction(readOnly: true) { try $0.query("SELECT 1", doing: "probing").rows.count } == 1)
        await store.close()
        try await PostgresTestServer.drop(migrated)
    }
}
