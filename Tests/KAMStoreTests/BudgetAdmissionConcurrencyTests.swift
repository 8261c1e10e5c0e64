import Foundation
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// Issue 17 item 4 as a test: many concurrent metered prompt runs against a budget that pays for 120 of them
/// at their real cost, a quarter answered 429 on every attempt and a quarter 500 once, on the SQLite file
/// store and the in-memory one. Calls that fit beside what is spent wait for the calls in flight instead of
/// being refused, so nearly every payable call completes, and the budget is never overspent.
@Suite("Budget admission under concurrency", .timeLimit(.minutes(10)))
struct BudgetAdmissionConcurrencyTests {
    enum Backend: String, CaseIterable, Sendable {
        case sqlite, memory
    }

    enum Ending: Sendable {
        case completed, refused, waitExpired, providerFailed, other
    }

    static let prices = PriceTable(models: [
        "gpt-4o-mini": ModelPrice(
            provider: "openai", input: Money(dollarsPerMillionTokens: 0.15), output: Money(dollarsPerMillionTokens: 0.60),
            contextWindow: 128_000, maxOutputTokens: 16_384)
    ])
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let answer = """
        {"subject":"Next steps","body":"Hi Ana, thanks for the call.","call_to_action":"Reply with a time",
         "tone":"friendly","facts_used":[{"fact":"inspection on Friday","source":"memory: inspection"}]}
        """
    static let calls = 300
    static let payable = 120

    @Test(
        "300 concurrent runs, half meeting 429s and 500s: zero overspend, each metered once, ≥ 95 % of the payable calls complete",
        arguments: Backend.allCases)
    func payableCallsComplete(_ backend: Backend) async throws {
        let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Prompts")
        let template = try PromptRegistry(directory: prompts).load(PromptReference(parsing: "draft.follow-up-email@1"))
        let variables: [String: JSONValue] = [
            "client_name": "Acme", "hint": "mention the inspection",
            "context": .string(String(repeating: "Acme renews in September and prefers email. ", count: 130)),
        ]
        // What each call really costs and the worst case it reserves (700 output tokens, the prompt's limit).
        let input = try template.render(variables).messages.reduce(3) { $0 + 3 + WordCounter().countTokens($1.content) }
        let usage = Usage(inputTokens: input, outputTokens: 200)
        let real = try #require(Self.prices.cost(of: usage, model: "gpt-4o-mini", provider: "openai").money)
        let worst = try #require(
            Self.prices.worstCaseCost(model: "gpt-4o-mini", provider: "openai", inputTokens: input, maxOutputTokens: 700).money)
        #expect(worst > real + real, "the worst case is over twice the real cost, as in the issue")
        let budget = Budget(scope: .global, period: .month, amount: real * Self.payable)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kam-admission-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let budgets: any BudgetStore
        let log: any CallLog
        switch backend {
        case .sqlite:
            let store = try ClientStore.open(path: path)
            budgets = SQLiteBudgetStore(writer: store.writer)
            log = SQLiteCallLog(writer: store.writer)
        case .memory:
            budgets = InMemoryBudgetStore()
            log = InMemoryCallLog()
        }
        // The admission wait runs on a clock that never moves: every wake-up is a settlement's signal, nothing sleeps.
        let ledger = BudgetLedger(
            store: budgets, prices: Self.prices, admission: BudgetAdmission(wait: .seconds(30)), clock: ManualClock(),
            now: { Self.now })
        try await ledger.setBudget(budget)
        let meter = CallMeter(ledger: ledger, log: log, now: { Self.now })
        let providerClock = ManualClock()

        let endings = await withTaskGroup(of: Ending.self, returning: [Ending].self) { group in
            for index in 0..<Self.calls {
                group.addTask {
                    let provider = ScriptedProvider(name: "openai") { request, call in
                        await Task.yield()
                        switch (index % 4, call) {
                        case (0, _):
                            throw ProviderError(
                                code: .rateLimited, message: "429 Too Many Requests", provider: "openai", httpStatus: 429,
                                isRetryable: true)
                        case (1, 1):
                            throw ProviderError(
                                code: .httpStatus, message: "500 Internal Server Error", provider: "openai", httpStatus: 500,
                                isRetryable: true)
                        default:
                            return ChatResponse(text: Self.answer, model: request.model, provider: "openai", usage: usage)
                        }
                    }
                    let runner = PromptRunner(meter: meter, providerName: "openai", counter: WordCounter()) { observer in
                        ResilientProvider(
                            routes: [ProviderRoute(provider: provider)],
                            policy: RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .zero, attemptTimeout: nil),
                            clock: providerClock, observer: observer)
                    }
                    do {
                        _ = try await runner.run(
                            template, variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"))
                        return .completed
                    } catch let error as BudgetError {
                        return error.code == .exceeded ? .refused : error.code == .waitExpired ? .waitExpired : .other
                    } catch is ProviderError {
                        return .providerFailed
                    } catch {
                        return .other
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let completed = endings.filter { $0 == .completed }.count
        let refused = endings.filter { $0 == .refused }.count
        let failed = endings.filter { $0 == .providerFailed }.count
        #expect(endings.count == Self.calls)
        #expect(endings.filter { $0 == .waitExpired || $0 == .other }.isEmpty)
        #expect(failed <= Self.calls / 4, "only the calls answered 429 every time fail")

        // Zero overspend: what is spent is exactly the completed calls' real cost, within the budget.
        let status = try await ledger.status(id: budget.id)
        #expect(status.spent <= budget.amount)
        #expect(status.spent == real * completed)
        #expect(status.reserved == .zero)
        #expect(await ledger.waitingCalls == 0)

        // ≥ 95 % of the calls the budget pays for at their real cost complete (refusing what did not fit beside
        // the calls in flight completed about a fifth of them).
        #expect(completed * 100 >= Self.payable * 95, "completed \(completed) of \(Self.payable) payable (\(backend))")
        // What was refused was refused because spent + its worst case was over the budget.
        #expect(refused > 0 && status.spent + worst > budget.amount)

        // Every call metered once: one usage row each, saying how it ended.
        let rows = try await log.recentCalls(limit: 10 * Self.calls)
        #expect(rows.count == Self.calls)
        #expect(Set(rows.map(\.id)).count == Self.calls)
        #expect(rows.filter { $0.outcome == .success }.count == completed)
        #expect(rows.filter { $0.outcome == .refused }.count == refused)
        #expect(rows.filter { $0.outcome == .failure }.count == failed)
        #expect(rows.compactMap(\.cost).reduce(Money.zero, +) == status.spent)
    }
}
