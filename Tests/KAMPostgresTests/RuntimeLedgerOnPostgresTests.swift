import Foundation
import GRDB
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// `budgets.ledger: postgres://…`: the runtime keeps budgets, reservations and the usage ledger in PostgreSQL while
/// the clients stay in the SQLite store, and a client's export and erasure reach the rows kept there.
@Suite("Runtime with its ledger on PostgreSQL")
struct RuntimeLedgerOnPostgresTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A runtime over the demo store whose ledger is `schema` on the test server, and a second look at that schema.
    static func runtime(schema: String, store: ClientStore, admissionWaitSeconds: Double = 30) async throws
        -> (Runtime, PostgresStore)
    {
        let database = try await PostgresTestServer.open(schema: schema)
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.admissionWaitSeconds = admissionWaitSeconds
        let url = try #require(PostgresTestServer.url)
        configuration.ledgerURL = url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&pool_size=4"
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }, ids: .sequential()),
            store: store)
        return (runtime, database)
    }

    @Test("calls are metered and budgets kept in PostgreSQL, not in the store; export and erasure reach them")
    func ledgerOnPostgres() async throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        try DemoSeeder.seedDemo(into: store, now: Self.now)
        let schema = PostgresTestServer.freshSchema()
        let (runtime, database) = try await Self.runtime(schema: schema, store: store)
        #expect(runtime.ledgerIsShared)
        _ = try await runtime.budgets.set(
            Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 5)), as: .anonymous)
        let acme = try runtime.client("acme")
        _ = try await runtime.drafts.generate(client: acme, kind: .followUp, hint: nil, as: ActingUser("maria"))
        _ = try await runtime.drafts.generate(client: try runtime.client("wayne"), kind: .checkIn, hint: nil, as: .anonymous)

        let shared = PostgresCallLog(store: database)
        #expect(try await shared.calls(clientID: "acme").count == 1)
        #expect(try await shared.recentCalls(limit: 10).count == 2)
        let sqliteRows = try await store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM model_calls") }
        #expect(sqliteRows == 0)
        #expect(try await store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM budgets") } == 0)
        #expect(try await runtime.budgets.list().map(\.budget.id) == [Budget(scope: .client("acme"), period: .month, amount: .zero).id])

        let checked = try #require(try await runtime.database.ledger(as: .anonymous))
        #expect(checked.place == "PostgreSQL \(database.configuration.redactedURL)")
        #expect(checked.counts.budgets == 1)
        #expect(checked.counts.calls == 2)
        #expect(checked.counts.reservations == 2)

        // The analytics count the calls where the ledger keeps them.
        let overview = try await runtime.analytics.overview(days: 1, as: .anonymous)
        let calls = overview.items.filter { $0.metric == "ai.calls" }.compactMap(\.current).reduce(0, +)
        #expect(calls == 2)

        let export = try await runtime.clientData.export("acme", as: .anonymous)
        let tables = try #require(export.document["tables"]?.objectValue)
        #expect(tables["model_calls"]?.arrayValue?.count == 1)
        #expect(tables["model_calls"]?.arrayValue?.first?["clientID"] == .string("acme"))
        #expect(tables["budgets"]?.arrayValue?.count == 1)
        #expect(tables["clients"]?.arrayValue?.count == 1)

        let usageBefore = try await runtime.usage.totals(by: nil)
        let erasure = try await runtime.clientData.delete("acme", as: .anonymous)
        #expect(erasure.ledgerRowsDetached >= 1)
        #expect(erasure.rowsByTable["budgets"] == 1)
        #expect(try await shared.calls(clientID: "acme").isEmpty)
        #expect(try await shared.recentCalls(limit: 10).count == 2)
        #expect(try await runtime.usage.totals(by: nil) == usageBefore)
        #expect(try await runtime.budgets.list().isEmpty)
        #expect(try store.client(id: "acme") == nil)
        #expect(try await shared.calls(clientID: "wayne").count == 1)

        await runtime.close()
        try await PostgresTestServer.drop(database)
    }

    @Test("two runtimes with their own stores share one budget on PostgreSQL: together they never overspend it")
    func twoRuntimesShareOneBudget() async throws {
        let schema = PostgresTestServer.freshSchema()
        var runtimes: [Runtime] = []
        var database: PostgresStore?
        for _ in 0..<2 {
            let store = try ClientStore.inMemory(now: { Self.now })
            let (runtime, opened) = try await Self.runtime(schema: schema, store: store, admissionWaitSeconds: 0)
            runtimes.append(runtime)
            if database == nil { database = opened } else { await opened.close() }
        }
        // Room for exactly 10 calls of 1,000 picodollars; 40 try at once, 20 through each runtime.
        let budget = Budget(scope: .global, period: .day, amount: Money(picodollars: 10_000))
        _ = try await runtimes[0].budgets.set(budget, as: .anonymous)
        #expect(try await runtimes[1].budgets.list().map(\.budget) == [budget])
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for call in 0..<40 {
                let ledger = runtimes[call % 2].ledger
                group.addTask {
                    do {
                        _ = try await ledger.reserve(
                            .known(Money(picodollars: 1_000)), model: "m", for: CallAttribution(userID: "u\(call)"))
                        return true
                    } catch let error as BudgetError where error.code == .exceeded {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 10)
        for runtime in runtimes {
            let status = try #require(try await runtime.ledger.statuses().first)
            #expect(status.reserved == Money(picodollars: 10_000))
            #expect(status.remaining == .zero)
        }
        for runtime in runtimes { await runtime.close() }
        try await PostgresTestServer.drop(try #require(database))
    }
}
