import Foundation
import KAMCore
import KAMProviders
import KAMStore
import Synchronization

/// `kam-bench admission`: issue 17 item 4 measured: many concurrent metered calls against a small budget over
/// real HTTP to `tools/fault-provider`, a third answered at once and the rest meeting 429s and 500s.
///
/// The budget ($0.02) pays for about 41 calls at their real cost (≈ $0.00048: ~3,150 input tokens of
/// gpt-4o-mini) while each reserves its worst case (≈ $0.00104: 950 output tokens). The calls are spread over
/// `--processes` ledgers, each on its own connection to one SQLite file (as separate `kam` processes are, so
/// no settlement signal crosses between them: they see each other's settlements by polling). Run once with
/// the admission wait at 0 s (refuse at once, KAM before the change) and once at `--wait` seconds (30). Prints
/// completed / payable, the overspend (spent beyond the budget, which must be 0), calls refused
/// (`budget.exceeded`) and whose wait ran out, and the admission wait's p50 / p95 over the calls that were sent.
/// `--calls N` (120), `--fault-url URL` (else one is started).
enum AdmissionBench {
    static let benchmark = Benchmark(
        name: "admission",
        summary: "budget admission by waiting: completed/payable and overspend, 120 concurrent calls over 4 ledgers with 429s/500s"
    ) { arguments in
        let calls = Int(option("--calls", in: arguments) ?? "") ?? 120
        let processes = max(1, Int(option("--processes", in: arguments) ?? "") ?? 4)
        let wait = Double(option("--wait", in: arguments) ?? "") ?? 30
        var server: Process?
        let base: String
        if let url = option("--fault-url", in: arguments) {
            base = url
        } else {
            let started = try ProvidersBench.startFaultProvider()
            server = started.0
            base = started.1
        }
        defer { server?.terminate() }
        var results: [BenchResult] = []
        for seconds in [0, wait] {
            results += try await run(calls: calls, processes: processes, waitSeconds: seconds, base: base)
        }
        return results
    }

    static let model = "gpt-4o-mini"
    static let budget = Money(dollars: "0.02")!
    static let maxOutputTokens = 950
    /// ~3,150 words: the fault provider counts words as tokens.
    static let context = String(repeating: "Acme Logistics renews in September, prefers email and asked about the inspection. ", count: 262)

    /// How one call ended.
    enum Ending: Sendable {
        case completed, refused, waitExpired, failed
    }

    struct Outcome: Sendable {
        var ending: Ending
        /// Seconds from the call's start until it was sent (its admission wait), for calls that were sent.
        var admissionWait: Double?
    }

    static func run(calls: Int, processes: Int, waitSeconds: Double, base: String) async throws -> [BenchResult] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-admission-\(getpid()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let prices = try PriceTable.bundled()
        let stores = try (0..<processes).map { _ in try ClientStore.open(path: path) }
        let meters = stores.map { store in
            let ledger = BudgetLedger(
                store: SQLiteBudgetStore(writer: store.writer), prices: prices,
                admission: BudgetAdmission(waitSeconds: waitSeconds), now: { Date() })
            return CallMeter(ledger: ledger, log: SQLiteCallLog(writer: store.writer), now: { Date() })
        }
        try await meters[0].ledger.setBudget(Budget(scope: .global, period: .total, amount: budget))
        let transport = AsyncHTTPClientTransport(configuration: .init(maxConnectionsPerHost: calls + 8))
        defer { Task { try? await transport.shutdown() } }
        let messages = [
            ChatMessage.system("You write follow-up emails for account managers."),
            ChatMessage.user(context),
        ]
        let inputTokens = messages.reduce(3) { $0 + 3 + $1.content.split(whereSeparator: \.isWhitespace).count }
        let start = now()
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self, returning: [Outcome].self) { group in
            for index in 0..<calls {
                let meter = meters[index % processes]
                // A third healthy; a third answered 429 twice first; a sixth 500 once first; a sixth 500 every time.
                let faults =
                    switch index % 6 {
                    case 0, 3: "fault:latency-200ms@\(index)-\(waitSeconds)"
                    case 1, 4: "fault:429-retry-after-0.2,times-2,latency-50ms@\(index)-\(waitSeconds)"
                    case 2: "fault:500,times-1,latency-50ms@\(index)-\(waitSeconds)"
                    default: "fault:500,latency-50ms@\(index)-\(waitSeconds)"
                    }
                group.addTask {
                    let request = ChatRequest(
                        model: model, messages: messages, maxOutputTokens: maxOutputTokens,
                        metadata: ["prompt_id": "draft.follow-up-email"])
                    let called = now()
                    let sent = Mutex<Double?>(nil)
                    do {
                        _ = try await meter.call(request, provider: "openai", inputTokens: inputTokens) { request, observer in
                            sent.withLock { $0 = $0 ?? now() - called }
                            // Priced as gpt-4o-mini, answered by the fault provider under the model name that picks its faults.
                            var faulty = request
                            faulty.model = faults
                            let provider = ResilientProvider(
                                routes: [
                                    ProviderRoute(
                                        provider: OpenAIProvider(apiKey: "sk-bench", baseURL: base + "/v1", transport: transport))
                                ],
                                policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .seconds(1)),
                                observer: observer)
                            return try await provider.complete(faulty)
                        }
                        return Outcome(ending: .completed, admissionWait: sent.withLock { $0 })
                    } catch let error as BudgetError {
                        return Outcome(ending: error.code == .waitExpired ? .waitExpired : .refused, admissionWait: nil)
                    } catch {
                        return Outcome(ending: .failed, admissionWait: sent.withLock { $0 })
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let wall = now() - start
        let status = try await meters[0].ledger.status(id: Budget.id(scope: .global, period: .total))
        let rows = try await meters[0].log.recentCalls(limit: calls * 10)
        let realCosts = rows.filter { $0.outcome == .success }.compactMap(\.cost).sorted()
        let real = realCosts.isEmpty ? Money.zero : realCosts[realCosts.count / 2]
        let payable = real > .zero ? Int(budget.picodollars / real.picodollars) : 0
        let completed = outcomes.filter { $0.ending == .completed }.count
        let waits = outcomes.compactMap(\.admissionWait).sorted()
        let overspend = max(Money.zero, status.spent - budget)
        let label = waitSeconds == 0 ? "refuse at once (wait 0 s)" : "admit by waiting (wait \(Int(waitSeconds)) s)"
        let metric = { (name: String) in "\(label), \(processes) ledgers: \(name)" }
        guard rows.count == calls else {
            throw ProvidersBench.BenchError(message: "\(rows.count) usage rows for \(calls) calls: a call was not metered exactly once")
        }
        return [
            BenchResult(
                benchmark: "admission", metric: metric("completed of payable (\(completed) of \(payable))"),
                value: payable == 0 ? 0 : Double(completed) / Double(payable) * 100, unit: "%", n: calls),
            BenchResult(benchmark: "admission", metric: metric("overspend"), value: dollars(overspend), unit: "$", n: calls),
            BenchResult(
                benchmark: "admission", metric: metric("refused, spent + worst case over the budget (budget.exceeded)"),
                value: Double(outcomes.filter { $0.ending == .refused }.count), unit: "calls", n: calls),
            BenchResult(
                benchmark: "admission", metric: metric("wait expired"),
                value: Double(outcomes.filter { $0.ending == .waitExpired }.count), unit: "calls", n: calls),
            BenchResult(
                benchmark: "admission", metric: metric("provider failed"),
                value: Double(outcomes.filter { $0.ending == .failed }.count), unit: "calls", n: calls),
            BenchResult(
                benchmark: "admission", metric: metric("unspent"), value: dollars(budget - status.spent), unit: "$", n: calls),
            BenchResult(
                benchmark: "admission", metric: metric("admission wait p50 of the calls sent"),
                value: percentile(waits, 50) * 1000, unit: "ms", n: waits.count),
            BenchResult(
                benchmark: "admission", metric: metric("admission wait p95 of the calls sent"),
                value: percentile(waits, 95) * 1000, unit: "ms", n: waits.count),
            BenchResult(benchmark: "admission", metric: metric("wall time"), value: wall, unit: "s", n: calls),
        ]
    }

    static func dollars(_ money: Money) -> Double { Double(money.picodollars) / 1e12 }
}
