import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// `kam demo` on PostgreSQL (`DemoService.seed(into:)` with a `PostgresStore`): a new database seeded so holds every
/// row, with its ids, times and events, that `seed()` leaves in a new SQLite store, and a database that already holds
/// the demo's rows is refused with nothing written.
@Suite("The demo seeded on SQLite and PostgreSQL")
struct DemoSeedingTests {
    static let now = ClientMemoryConformanceTests.now

    static func options() -> RuntimeOptions {
        RuntimeOptions(
            configuration: KAMConfiguration.embeddedDefaults,
            promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
            environment: [:], now: { now }, ids: .sequential())
    }

    @Test("a new PostgreSQL database seeded with the demo holds every row a new SQLite store does; a second seeding is refused")
    func sameRows() async throws {
        let sqlite = try ClientStore.inMemory(now: { Self.now })
        let local = try await Runtime.open(Self.options(), store: sqlite)
        let expected = try local.demo.seed()
        await local.close()
        var want = try Self.rows(sqlite)
        // The prompt versions the edited drafts were written with are recorded by the runtime's registry, in its store.
        #expect(want.removeValue(forKey: "prompt_versions") != nil)
        #expect((want["clients"]?.count ?? 0) >= 8 && (want["drafts"]?.count ?? 0) >= 12)
        #expect((want["support_tickets"]?.count ?? 0) > 0 && (want["campaign_recipients"]?.count ?? 0) > 0)
        #expect((want["events"]?.count ?? 0) > 0 && (want["draft_events"]?.count ?? 0) > 0)

        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        try await withTearDown(database, { try? await PostgresTestServer.drop(database) }) { database in
            let runtime = try await Runtime.open(Self.options(), store: try ClientStore.inMemory(now: { Self.now }))
            let seeded = try runtime.demo.seed(into: database)
            #expect(seeded.counts == expected.counts)
            #expect(seeded.summary == expected.summary && seeded.tickets == expected.tickets)
            #expect(seeded.edits == expected.edits && seeded.campaign != nil)
            let got = try Self.rows(database)
            #expect(got.keys.sorted() == want.keys.sorted())
            for table in want.keys.sorted() {
                #expect(got[table] == want[table], "\(table): \(Self.difference(want[table] ?? [], got[table] ?? []))")
            }
            do {
                _ = try runtime.demo.seed(into: database)
                Issue.record("a second seeding of one PostgreSQL database was not refused")
            } catch let error as RuntimeError {
                #expect(error.code == "demo.target-not-empty" && error.message.contains("clients"), "\(error)")
            }
            #expect(try Self.rows(database) == got)
            await runtime.close()
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
