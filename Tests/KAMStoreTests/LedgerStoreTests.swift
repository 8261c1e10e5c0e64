import Foundation
import GRDB
import KAMCore
import Testing

@testable import KAMStore

@Suite("Ledger store")
struct LedgerStoreTests {
    static let prices = PriceTable(models: [
        "m": ModelPrice(provider: "p", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000))
    ])
    static let day = Date(timeIntervalSince1970: 1_795_000_000)

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kam-ledger-\(UUID().uuidString).sqlite").path
    }

    @Test("the ledger migration creates its tables beside the foundation's")
    func migration() throws {
        let store = try ClientStore.inMemory()
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables.contains("budgets"))
        #expect(tables.contains("budget_reservations"))
        #expect(tables.contains("model_calls"))
        #expect(KAMSchema.migrations.map(\.id).contains("ledger-v1"))
    }

    @Test("a run's budget holds only the calls of that run, through SQLite")
    func runBudgetOverSQLite() async throws {
        let store = try ClientStore.inMemory()
        let ledger = BudgetLedger(store: SQLiteBudgetStore(writer: store.writer), prices: Self.prices, now: { Self.day })
        // One call's worst case: 100 × 1,000 + 50 × 2,000 = 200,000 picodollars.
        try await ledger.setBudget(Budget(scope: .run("refine-1"), period: .total, amount: Money(picodollars: 300_000)))
        #expect(try await ledger.budgets().map(\.id) == ["run:refine-1/total"])
        let run = CallAttribution(promptID: "draft.check-in", runID: "refine-1")
        let first = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
        #expect(first.budgetIDs == ["run:refine-1/total"])
        let runIDs = try await store.writer.read { try String.fetchAll($0, sql: "SELECT run_id FROM budget_reservations") }
        #expect(runIDs == ["refine-1"])
        // Another run's calls and calls of no run are not held by it.
        _ = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(runID: "refine-2"))
        _ = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(promptID: "draft.check-in"))
        await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
        }
        try await ledger.settle(first, cost: .known(Money(picodollars: 50_000)))
        _ = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
        #expect(try await ledger.status(id: "run:refine-1/total").spent == Money(picodollars: 50_000))
    }

    @Test("reserve, settle, release and refuse through SQLite")
    func ledgerOverSQLite() async throws {
        let store = try ClientStore.inMemory()
        let ledger = BudgetLedger(store: SQLiteBudgetStore(writer: store.writer), prices: Self.prices, now: { Self.day })
        try await ledger.setBudget(Budget(scope: .client("acme"), period: .month, amount: Money(picodollars: 500_000)))
        let attribution = CallAttribution(userID: "ana", clientID: "acme")
        let first = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        let second = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        let refusal = await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        }
        #expect(refusal?.budget?.id == "client:acme/month")
        #expect(refusal?.reserved == Money(picodollars: 400_000))
        try await ledger.settle(first, cost: .known(Money(picodollars: 50_000)))
        try await ledger.release(second)
        let status = try await ledger.status(id: "client:acme/month")
        #expect(status.spent == Money(picodollars: 50_000))
        #expect(status.reserved == .zero)
        // The settled state survived the round trip.
        let stored = try SQLiteBudgetStore(writer: store.writer).read { try $0.reservation(id: first.id) }
        #expect(stored?.state == .settled)
        #expect(stored?.budgetIDs == ["client:acme/month"])
        #expect(stored?.attribution == attribution)
        // Setting the same scope and period changes the amount.
        try await ledger.setBudget(Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 3)))
        #expect(try await ledger.budgets().map(\.amount) == [Money(dollars: 3)])
    }

    @Test("two connections to one file (like two processes) never overspend together")
    func twoConnections() async throws {
        let path = temporaryPath()
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let first = try ClientStore.open(path: path)
        let second = try ClientStore.open(path: path)
        let ledgers = [first, second].map {
            BudgetLedger(store: SQLiteBudgetStore(writer: $0.writer), prices: Self.prices, now: { Self.day })
        }
        // Worst case 200,000 each; the budget fits 20.
        try await ledgers[0].setBudget(Budget(scope: .global, period: .day, amount: Money(picodollars: 4_000_000)))
        let granted = await withTaskGroup(of: Bool.self, returning: Int.self) { group in
            for index in 0..<100 {
                group.addTask {
                    do {
                        let reservation = try await ledgers[index % 2].reserve(
                            model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution())
                        try await ledgers[(index + 1) % 2].settle(reservation, cost: .known(Money(picodollars: 200_000)))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 20)
        let status = try await ledgers[1].status(id: "global/day")
        #expect(status.spent == Money(picodollars: 4_000_000))
    }

    @Test("the usage ledger stores rows and totals them; an unknown price stays unknown")
    func callLog() async throws {
        let store = try ClientStore.inMemory()
        let log = SQLiteCallLog(writer: store.writer)
        let rows = [
            ModelCallRecord(
                id: "1", time: Self.day, attribution: CallAttribution(userID: "ana", clientID: "acme", promptID: "follow-up"),
                promptVersion: "2", promptHash: "h", provider: "openai", requestedModel: "gpt-4o-mini",
                answeredModel: "gpt-4o-mini-2024-07-18", attempts: 2,
                usage: Usage(inputTokens: 100, outputTokens: 20, cachedInputTokens: 50), cost: .known(Money(picodollars: 7)),
                latencyMilliseconds: 800),
            ModelCallRecord(
                id: "2", time: Self.day.addingTimeInterval(86_400), attribution: CallAttribution(clientID: "acme"),
                provider: "openai-compatible", requestedModel: "smol", answeredModel: "/models/smol.gguf",
                usage: Usage(inputTokens: 10, outputTokens: 5), cost: .unknown(model: "smol")),
            ModelCallRecord(
                id: "3", time: Self.day.addingTimeInterval(86_400), attribution: CallAttribution(clientID: "globex"),
                provider: "openai", requestedModel: "gpt-4o", attempts: 0, outcome: .refused, errorCode: "budget.exceeded"),
            ModelCallRecord(
                id: "4", time: Self.day, provider: "offline", requestedModel: "offline", answeredModel: "offline",
                usage: Usage(inputTokens: 3, outputTokens: 3), outcome: .success, isOffline: true),
        ]
        for row in rows { try await log.append(row) }

        let all = try await log.usage(UsageQuery())
        #expect(all.count == 1)
        #expect(all.first?.calls == 4)
        #expect(all.first?.refused == 1)
        #expect(all.first?.offlineCalls == 1)
        #expect(all.first?.inputTokens == 113)
        #expect(all.first?.cost == Money(picodollars: 7))
        #expect(all.first?.unpricedCalls == 1)
        // SQL and in-memory totals agree for every grouping.
        for grouping in UsageQuery.Grouping.allCases {
            let query = UsageQuery(grouping: grouping, since: Self.day.addingTimeInterval(1))
            #expect(try await log.usage(query) == UsageTotals.summarize(rows, query: query))
        }
        let byClient = try await log.usage(UsageQuery(grouping: .client))
        #expect(byClient.map(\.key) == ["-", "acme", "globex"])

        let recent = try await log.recentCalls(limit: 10)
        let first = try #require(recent.first { $0.id == "1" })
        #expect(first == rows[0])
        let unpriced = try #require(recent.first { $0.id == "2" })
        #expect(unpriced.cost == nil)
        #expect(unpriced.callCost == .unknown(model: "/models/smol.gguf"))
    }
}
