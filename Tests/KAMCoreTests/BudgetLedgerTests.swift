import Foundation
import KAMTesting
import Testing

@testable import KAMCore

/// A model priced at exactly 1 picodollar-per-token multiples easy to reason about.
private func testPrices() -> PriceTable {
    PriceTable(models: [
        "test-model": ModelPrice(provider: "fake", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000)),
        "offline": ModelPrice(provider: "offline", input: .zero, output: .zero),
    ])
}

private let start = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 UTC

@Suite("BudgetLedger")
struct BudgetLedgerTests {
    func makeLedger(_ budgets: [Budget], clock: ManualWallClock = ManualWallClock(start), store: InMemoryBudgetStore? = nil)
        -> (BudgetLedger, InMemoryBudgetStore)
    {
        let store = store ?? InMemoryBudgetStore(budgets: budgets)
        return (BudgetLedger(store: store, prices: testPrices(), now: { clock.now }), store)
    }

    @Test("a call that does not fit is refused, naming the budget and the figures")
    func refuses() async throws {
        // Worst case of one call: 100 × 1,000 + 50 × 2,000 = 200,000 picodollars.
        let budget = Budget(scope: .client("acme"), period: .month, amount: Money(picodollars: 500_000))
        let (ledger, _) = makeLedger([budget])
        let attribution = CallAttribution(clientID: "acme")
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        let error = await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        }
        #expect(error?.code == .exceeded)
        #expect(error?.budget?.id == "client:acme/month")
        #expect(error?.reserved == Money(picodollars: 400_000))
        #expect(error?.estimate == Money(picodollars: 200_000))
        #expect(error?.message.contains("client:acme/month") == true)
        // Another client is not limited by acme's budget.
        _ = try await ledger.reserve(
            model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(clientID: "globex"))
    }

    @Test("reservation is all or none across the budgets that apply")
    func allOrNone() async throws {
        let roomy = Budget(scope: .user("ana"), period: .day, amount: Money(dollars: 1))
        let tight = Budget(scope: .prompt("follow-up"), period: .total, amount: Money(picodollars: 250_000))
        let (ledger, store) = makeLedger([roomy, tight])
        let attribution = CallAttribution(userID: "ana", promptID: "follow-up")
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        }
        #expect(store.reservations.count == 1)
        let user = try await ledger.status(id: "user:ana/day")
        #expect(user.reserved == Money(picodollars: 200_000))
    }

    @Test("settling charges the real cost; releasing frees everything")
    func settleAndRelease() async throws {
        let budget = Budget(scope: .global, period: .total, amount: Money(picodollars: 300_000))
        let (ledger, _) = makeLedger([budget])
        let first = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution())
        let settlement = try await ledger.settle(first, cost: .known(Money(picodollars: 120_000)))
        #expect(settlement.overrun == .zero)
        var status = try await ledger.status(id: "global/total")
        #expect(status.spent == Money(picodollars: 120_000))
        #expect(status.reserved == .zero)
        #expect(status.remaining == Money(picodollars: 180_000))

        let second = try await ledger.reserve(model: "test-model", inputTokens: 40, maxOutputTokens: 40, for: CallAttribution())
        try await ledger.release(second)
        status = try await ledger.status(id: "global/total")
        #expect(status.reserved == .zero)
        #expect(status.spent == Money(picodollars: 120_000))
    }

    @Test("an unknown settled cost is charged at the reserved worst case")
    func unknownSettledCost() async throws {
        let (ledger, _) = makeLedger([Budget(scope: .global, period: .total, amount: Money(dollars: 1))])
        let reservation = try await ledger.reserve(model: "test-model", inputTokens: 10, maxOutputTokens: 10, for: CallAttribution())
        let settlement = try await ledger.settle(reservation, cost: .unknown(model: "x"))
        #expect(settlement.charged == Money(picodollars: 30_000))
    }

    @Test("stale reservations expire and stop holding money")
    func expiry() async throws {
        let clock = ManualWallClock(start)
        let (ledger, _) = makeLedger(
            [Budget(scope: .global, period: .total, amount: Money(picodollars: 200_000))], clock: clock)
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution())
        await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution())
        }
        clock.advance(601)
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution())
    }

    @Test("a day budget starts again the next day; a month budget does not")
    func periods() async throws {
        let clock = ManualWallClock(start)
        let day = Budget(scope: .team("north"), period: .day, amount: Money(picodollars: 200_000))
        let (ledger, _) = makeLedger([day], clock: clock)
        let attribution = CallAttribution(teamID: "north")
        let reservation = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)
        try await ledger.settle(reservation, cost: .known(Money(picodollars: 200_000)))
        await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "test-model", inputTokens: 1, maxOutputTokens: 1, for: attribution)
        }
        clock.advance(86_400)
        _ = try await ledger.reserve(model: "test-model", inputTokens: 100, maxOutputTokens: 50, for: attribution)

        let utc = TimeZone(identifier: "UTC")!
        let window = BudgetPeriod.month.window(containing: start, timeZone: utc)
        #expect(window.start == ISO8601DateFormatter().date(from: "2026-11-01T00:00:00Z"))
        #expect(window.end == ISO8601DateFormatter().date(from: "2026-12-01T00:00:00Z"))
        let berlin = BudgetPeriod.day.window(containing: start, timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(berlin.start == ISO8601DateFormatter().date(from: "2026-11-17T23:00:00Z"))
    }

    @Test("a model without a price is refused when a budget applies, allowed when none does")
    func unknownPrice() async throws {
        let (ledger, _) = makeLedger([Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 5))])
        let error = await #expect(throws: BudgetError.self) {
            try await ledger.reserve(model: "mystery", inputTokens: 1, maxOutputTokens: 1, for: CallAttribution(clientID: "acme"))
        }
        #expect(error?.code == .priceUnknown)
        #expect(error?.message.contains("mystery") == true)
        let free = try await ledger.reserve(
            model: "mystery", inputTokens: 1, maxOutputTokens: 1, for: CallAttribution(clientID: "globex"))
        #expect(free.budgetIDs.isEmpty)
    }

    @Test("budgets are set, listed and removed by scope/period id")
    func budgetAdmin() async throws {
        let (ledger, _) = makeLedger([])
        try await ledger.setBudget(Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 25)))
        try await ledger.setBudget(Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 30)))
        let budgets = try await ledger.budgets()
        #expect(budgets.map(\.id) == ["client:acme/month"])
        #expect(budgets.first?.amount == Money(dollars: 30))
        try await ledger.removeBudget(id: "client:acme/month")
        await #expect(throws: BudgetError.self) { try await ledger.removeBudget(id: "client:acme/month") }
        #expect(Budget.parseID("client:acme/month")?.scope == .client("acme"))
        #expect(BudgetScope(parsing: "nope:x") == nil)
    }
}
