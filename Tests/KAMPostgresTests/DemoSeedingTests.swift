import Foundation
import KAMCore
import KAMResources
import KAMStore
import Testing

@testable import KAMPostgres
@testable import KAMRuntime

/// `kam demo` on PostgreSQL: `DemoService.seed()` writes through the runtime's repositories, so a PostgreSQL database
/// seeded holds every row, with its ids, times and events, that a SQLite store seeded the same way holds, beside the
/// rows it held before, and a second seeding updates the same rows on both.
@Suite("The demo seeded on SQLite and PostgreSQL")
struct DemoSeedingTests {
    static let now = ClientMemoryConformanceTests.now

    static func options(database: StorePlace? = nil) -> RuntimeOptions {
        RuntimeOptions(
            database: database, configuration: KAMConfiguration.embeddedDefaults,
            promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
            environment: [:], now: { now }, ids: .sequential())
    }

    /// What both stores hold before the demo: a client of the team's own, a user and a team the demo also names.
    static func holdSomething(_ runtime: Runtime) throws {
        try runtime.userStore.addTeam(Team(id: "enterprise", name: "Key accounts", createdAt: now))
        try runtime.userStore.add(UserAccount(id: "zoe", name: "Zoe Park", email: "zoe.park@kam.example", team: "enterprise"))
        _ = try ClientImporter(target: runtime.importTarget).importDocument(
            ImportDocument(clients: [.init(id: "northwind", name: "Northwind Traders", owner: "zoe")]), file: "before")
    }

    @Test("the demo seeded twice into a PostgreSQL database that holds data leaves every row a SQLite store seeded so does")
    func sameRows() async throws {
        let sqlite = try ClientStore.inMemory(now: { Self.now })
        let local = try await Runtime.open(Self.options(), store: sqlite)
        try Self.holdSomething(local)
        let expected = try local.demo.seed()
        let wantFirst = try Self.rows(sqlite)
        let expectedAgain = try local.demo.seed()
        let wantAgain = try Self.rows(sqlite)
        await local.close()
        #expect((wantFirst["clients"]?.count ?? 0) >= 9 && (wantFirst["drafts"]?.count ?? 0) >= 12)
        #expect((wantFirst["support_tickets"]?.count ?? 0) > 0 && (wantFirst["campaign_recipients"]?.count ?? 0) > 0)
        #expect((wantFirst["events"]?.count ?? 0) > 0 && (wantFirst["draft_events"]?.count ?? 0) > 0)
        #expect(expectedAgain.counts == expected.counts && expectedAgain.summary.clients.created == 0)
        #expect(expectedAgain.campaign == nil && expectedAgain.edits.created == 0 && expectedAgain.tickets.created == 0)
        #expect(wantFirst["teams"]?.contains { $0.contains("Key accounts") } == true)

        let schema = PostgresTestServer.freshSchema()
        let database = try await PostgresTestServer.open(schema: schema)
        try await withTearDown(database, { try? await PostgresTestServer.drop(database) }) { database in
            let runtime = try await Runtime.open(
                Self.options(database: .postgres(url: try PostgresTestServer.url(schema: schema) + "&pool_size=2")))
            try Self.holdSomething(runtime)
            let seeded = try runtime.demo.seed()
            #expect(seeded.counts == expected.counts && seeded.summary == expected.summary)
            #expect(seeded.tickets == expected.tickets && seeded.edits == expected.edits && seeded.campaign != nil)
            Self.expectSame(try Self.rows(database), wantFirst, "first seeding")
            let again = try runtime.demo.seed()
            #expect(again.counts == expectedAgain.counts && again.summary == expectedAgain.summary)
            #expect(again.tickets == expectedAgain.tickets && again.edits == expectedAgain.edits && again.campaign == nil)
            Self.expectSame(try Self.rows(database), wantAgain, "second seeding")
            await runtime.close()
        }
    }

    /// The rows of every table but the event cursors (each store's own bookkeeping: a new SQLite file starts with
    /// its consumers' cursors at 0, PostgreSQL adds them at their first pass).
    static func expectSame(_ got: [String: [String]], _ want: [String: [String]], _ when: String) {
        var (got, want) = (got, want)
        got["event_cursors"] = nil
        want["event_cursors"] = nil
        #expect(got.keys.sorted() == want.keys.sorted(), "\(when)")
        for table in want.keys.sorted() {
            #expect(got[table] == want[table], "\(when), \(table): \(Self.difference(want[table] ?? [], got[table] ?? []))")
        }
    }

    /// Every table holding rows, each row as its columns' names and values, sorted: the same rows in any order and
    /// column order compare equal.
    static func rows(_ store: any TableSource) throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        _ = try store.readTables(try store.tableParents().keys.sorted()) { table, columns, rows in
            for row in rows {
                tables[table, default: []].append(
                    zip(columns, row).sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ", "))
            }
        }
        return tables.mapValues { $0.sorted() }
    }

    /// The first rows of one table that only one side has, for the failure's message.
    static func difference(_ expected: [String], _ actual: [String]) -> String {
        let missing = Set(expected).subtracting(actual).sorted().prefix(2)
        let extra = Set(actual).subtracting(expected).sorted().prefix(2)
        return "\(expected.count) vs \(actual.count) rows; only on SQLite: \(Array(missing)); only on PostgreSQL: \(Array(extra))"
    }
}
