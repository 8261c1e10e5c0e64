import Foundation
import KAMCore
import KAMPostgres
import KAMResources
import KAMStore

/// `kam-bench ledger [CALLS]`: cost of metering one call — reserve, settle and the usage-ledger row.
///
/// Measures the per-call overhead the budget adds before a request is sent (reserve) and after
/// the answer (settle + log row), in memory and on an SQLite file in WAL mode (as `kam` runs), and, when
/// `KAM_BENCH_POSTGRES_URL` names a server (`tools/postgres` prints one), on PostgreSQL in a schema of its own;
/// and the throughput of concurrent metered calls against a global and a client budget.
enum LedgerBench {
    static let benchmark = Benchmark(
        name: "ledger",
        summary:
            "budget reserve/settle and usage-ledger row per call, memory, SQLite and PostgreSQL with KAM_BENCH_POSTGRES_URL "
            + "(part of the < 1 ms call overhead)"
    ) { arguments in
        let calls = arguments.first.flatMap(Int.init) ?? 2_000
        let prices = try PriceTable.bundled()
        let budgets = [
            Budget(scope: .global, period: .month, amount: Money(dollars: 1_000_000)),
            Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 100_000)),
        ]
        var results: [BenchResult] = []

        let memoryLedger = BudgetLedger(store: InMemoryBudgetStore(budgets: budgets), prices: prices, now: { Date() })
        results += try await measure(
            "memory", calls: calls, meter: CallMeter(ledger: memoryLedger, log: InMemoryCallLog(), now: { Date() }))

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-ledger-\(getpid()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let store = try ClientStore.open(path: path)
        let sqliteLedger = BudgetLedger(store: SQLiteBudgetStore(writer: store.writer), prices: prices, now: { Date() })
        for budget in budgets { try await sqliteLedger.setBudget(budget) }
        results += try await measure(
            "sqlite", calls: calls,
            meter: CallMeter(ledger: sqliteLedger, log: SQLiteCallLog(writer: store.writer), now: { Date() }))

        if let url = ProcessInfo.processInfo.environment["KAM_BENCH_POSTGRES_URL"], !url.isEmpty {
            var configuration = try PostgresStoreConfiguration(url: url)
            configuration.schema = "kam_bench_\(getpid())"
            let postgres = try await PostgresStore.open(configuration)
            let postgresLedger = BudgetLedger(store: PostgresBudgetStore(store: postgres), prices: prices, now: { Date() })
            for budget in budgets { try await postgresLedger.setBudget(budget) }
            results += try await measure(
                "postgres", calls: calls,
                meter: CallMeter(ledger: postgresLedger, log: PostgresCallLog(store: postgres), now: { Date() }))
            await postgres.close()
        }
        return results
    }

    static func measure(_ label: String, calls: Int, meter: CallMeter) async throws -> [BenchResult] {
        let request = ChatRequest(model: "gpt-4o-mini", messages: [], maxOutputTokens: 500, metadata: ["prompt_id": "check-in"])
        let attribution = CallAttribution(userID: "ana", teamID: "north", clientID: "acme")
        let answer: @Sendable (ChatRequest, AttemptObserver) async throws -> ChatResponse = { request, _ in
            ChatResponse(text: "{}", model: request.model, provider: "openai", usage: Usage(inputTokens: 1200, outputTokens: 180))
        }
        for _ in 0..<100 {
            _ = try await meter.call(request, provider: "openai", attribution: attribution, inputTokens: 1200, perform: answer)
        }
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for _ in 0..<calls {
            let t0 = now()
            _ = try await meter.call(request, provider: "openai", attribution: attribution, inputTokens: 1200, perform: answer)
            samples.append((now() - t0) * 1000)
        }
        samples.sort()
        let concurrent = 16
        let t0 = now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrent {
                group.addTask {
                    for _ in stride(from: worker, to: calls, by: concurrent) {
                        _ = try await meter.call(
                            request, provider: "openai", attribution: attribution, inputTokens: 1200, perform: answer)
                    }
                }
            }
            try await group.waitForAll()
        }
        let wall = now() - t0
        return [
            BenchResult(
                benchmark: "ledger", metric: "\(label) metered call overhead", value: percentile(samples, 50), unit: "ms",
                p50: percentile(samples, 50), p99: percentile(samples, 99), n: calls),
            BenchResult(
                benchmark: "ledger", metric: "\(label) metered calls/s at concurrency \(concurrent)",
                value: Double(calls) / wall, unit: "calls/s", n: calls),
        ]
    }
}
