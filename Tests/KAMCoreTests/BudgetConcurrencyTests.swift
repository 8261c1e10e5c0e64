import Foundation
import Synchronization
import Testing

@testable import KAMCore

/// Calls counted by how they ended.
struct BudgetCallTally: Sendable {
    var completed = 0
    var refused = 0
    var other = 0
}

@Suite("Budget concurrency")
struct BudgetConcurrencyTests {
    static let prices = PriceTable(models: [
        "fake-model": ModelPrice(provider: "fake", input: Money(picodollars: 1_000), output: Money(picodollars: 3_000))
    ])
    // Worst case per call: 200 × 1,000 + 100 × 3,000 = 500,000 picodollars; the budget fits exactly 50.
    static let worstCase = Money(picodollars: 500_000)
    static let budget = Budget(scope: .global, period: .month, amount: Money(picodollars: 50 * 500_000))

    /// Runs 500 concurrent metered calls of a closure provider; `usage` decides what each call really used.
    func run(usage: @escaping @Sendable (Int) -> Usage) async throws -> (BudgetCallTally, BudgetStatus, [ModelCallRecord]) {
        let store = InMemoryBudgetStore(budgets: [Self.budget])
        let ledger = BudgetLedger(store: store, prices: Self.prices, now: { Date(timeIntervalSince1970: 1_795_000_000) })
        let log = InMemoryCallLog()
        let meter = CallMeter(ledger: ledger, log: log, now: { Date(timeIntervalSince1970: 1_795_000_000) })
        let tally = try await withThrowingTaskGroup(of: Int.self, returning: BudgetCallTally.self) { group in
            for index in 0..<500 {
                group.addTask {
                    let request = ChatRequest(
                        model: "fake-model", messages: [], maxOutputTokens: 100, metadata: ["prompt_id": "check-in"])
                    do {
                        _ = try await meter.call(request, provider: "fake", inputTokens: 200) { request, observer in
                            await Task.yield()
                            let used = usage(index)
                            await observer.record(
                                CallAttempt(number: 1, provider: "fake", model: request.model, outcome: .success(.stop), usage: used))
                            return ChatResponse(text: "{}", model: request.model, provider: "fake", usage: used)
                        }
                        return 0
                    } catch let error as BudgetError where error.code == .exceeded {
                        return 1
                    } catch {
                        return 2
                    }
                }
            }
            var tally = BudgetCallTally()
            for try await outcome in group {
                switch outcome {
                case 0: tally.completed += 1
                case 1: tally.refused += 1
                default: tally.other += 1
                }
            }
            return tally
        }
        let status = try await ledger.status(id: Self.budget.id)
        return (tally, status, log.records)
    }

    @Test("500 concurrent calls at their worst case: exactly 50 complete, 450 get the budget error")
    func worstCaseCalls() async throws {
        let (tally, status, records) = try await run { _ in Usage(inputTokens: 200, outputTokens: 100) }
        #expect(tally.completed == 50)
        #expect(tally.refused == 450)
        #expect(tally.other == 0)
        #expect(status.spent == Self.budget.amount)
        #expect(status.spent <= Self.budget.amount)
        #expect(status.reserved == .zero)
        #expect(records.count == 500)
        #expect(records.filter { $0.outcome == .refused }.count == 450)
        #expect(records.compactMap(\.cost).reduce(Money.zero, +) == status.spent)
    }

    @Test("500 concurrent calls with random real costs below the estimate: never over budget")
    func randomCostCalls() async throws {
        let (tally, status, records) = try await run { index in
            var generator = SplitMix64(seed: UInt64(index) &+ 17)
            return Usage(
                inputTokens: 200, outputTokens: Int(generator.next() % 101), cachedInputTokens: Int(generator.next() % 150))
        }
        #expect(tally.completed + tally.refused == 500)
        #expect(tally.other == 0)
        #expect(tally.completed >= 50)
        #expect(status.spent <= Self.budget.amount)
        #expect(status.reserved == .zero)
        let spentByLog = records.filter { $0.outcome == .success }.compactMap(\.cost).reduce(Money.zero, +)
        #expect(spentByLog == status.spent)
        #expect(records.filter { $0.outcome == .success }.count == tally.completed)
    }
}
