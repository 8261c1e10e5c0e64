import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct BudgetServiceTests {
    static func dollars(_ text: String) -> Money { Money(dollars: text)! }

    /// `kam run draft.check-in --client CLIENT`; on the priced route the ledger reserves gpt-4o-mini's worst
    /// case, and with no OpenAI key the call itself falls back to the offline provider.
    static func run(_ runtime: Runtime, for client: String) async throws {
        _ = try await runtime.prompts.run("draft.check-in", clientID: client, variables: [:], as: ActingUser("maria"))
    }

    @Test func aBudgetSetThroughTheServiceRefusesTheCallThatWouldOverspend() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        let saved = try await runtime.budgets.set(
            Budget(scope: .global, period: .day, amount: Self.dollars("0.0001")), as: ActingUser("maria"))
        #expect(saved.status.budget.id == "global/day")
        #expect(saved.status.remaining == Self.dollars("0.0001"))
        #expect(saved.configuredIn == nil, "the embedded configuration names no budget")

        let priced = try await world.pricedRuntime()
        await #expect {
            try await Self.run(priced, for: "acme")
        } throws: { error in
            let refusal = error as? BudgetError
            return refusal?.code == .exceeded && refusal?.budget?.id == "global/day"
        }
        let status = try await runtime.budgets.status("global/day")
        #expect(status.spent == .zero && status.reserved == .zero, "a refused call spends and holds nothing")

        try await runtime.budgets.remove("global/day", as: ActingUser("maria"))
        // Without the budget the call goes through (to the offline fallback: there is no OpenAI key).
        try await Self.run(priced, for: "acme")
    }

    @Test func aClientBudgetRefusesOnlyThatClientsCalls() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        try await runtime.budgets.set(
            Budget(scope: .client("globex"), period: .month, amount: Self.dollars("0.0001")), as: .anonymous)
        let priced = try await world.pricedRuntime()
        await #expect {
            try await Self.run(priced, for: "globex")
        } throws: { error in
            (error as? BudgetError)?.budget?.id == "client:globex/month"
        }
        try await Self.run(priced, for: "acme")
    }

    @Test func listShowAndRemoveKeepTheBudgetsSet() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        #expect(try await runtime.budgets.list().isEmpty)
        let budgets = [
            Budget(scope: .global, period: .month, amount: Self.dollars("100")),
            Budget(scope: .client("acme"), period: .day, amount: Self.dollars("2.50")),
            Budget(scope: .prompt("draft.check-in"), period: .total, amount: Self.dollars("10")),
        ]
        for budget in budgets { try await runtime.budgets.set(budget, as: .anonymous) }
        try await runtime.budgets.set(
            Budget(scope: .client("acme"), period: .day, amount: Self.dollars("3")), as: .anonymous)

        let listed = try await runtime.budgets.list()
        #expect(listed.map(\.budget.id).sorted() == budgets.map(\.id).sorted())
        #expect(listed.first { $0.budget.id == "client:acme/day" }?.budget.amount == Self.dollars("3"), "set changes")
        let day = try await runtime.budgets.status("client:acme/day")
        #expect(day.window.contains(LedgerTestWorld.start))
        #expect(day.window.duration == 86_400)

        try await runtime.budgets.remove("client:acme/day", as: .anonymous)
        #expect(try await runtime.budgets.list().count == 2)
        for missing in ["client:acme/day", "global/week"] {
            await #expect {
                try await runtime.budgets.status(missing)
            } throws: { error in
                (error as? BudgetError)?.code == .unknownBudget
            }
        }
        await #expect {
            try await runtime.budgets.remove("client:acme/day", as: .anonymous)
        } throws: { error in
            (error as? BudgetError)?.code == .unknownBudget
        }
        await #expect {
            try await runtime.budgets.set(
                Budget(scope: .global, period: .day, amount: Money.maximumBudget + Self.dollars("1")), as: .anonymous)
        } throws: { error in
            (error as? BudgetError)?.code == .invalidBudget
        }
    }

    @Test func aBudgetTheConfigurationAlsoSetsIsNamed() async throws {
        let world = try LedgerTestWorld()
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.budgets = [Budget(scope: .team("sales"), period: .month, amount: Self.dollars("50"))]
        configuration.sourcePath = "/team/kam.yaml"
        let runtime = try await world.runtime(configuration: configuration)
        #expect(try await runtime.budgets.list().map(\.budget.id) == ["team:sales/month"], "opening applies the file")

        let same = try await runtime.budgets.set(
            Budget(scope: .team("sales"), period: .month, amount: Self.dollars("20")), as: .anonymous)
        #expect(same.configuredIn == "/team/kam.yaml")
        #expect(same.status.budget.amount == Self.dollars("20"))
        let other = try await runtime.budgets.set(
            Budget(scope: .team("sales"), period: .day, amount: Self.dollars("5")), as: .anonymous)
        #expect(other.configuredIn == nil)

        let reopened = try await world.runtime(configuration: configuration)
        #expect(try await reopened.budgets.status("team:sales/month").budget.amount == Self.dollars("50"))
    }

    @Test func linesShowTheWindowUnlessThePeriodIsTotal() throws {
        let window = DateInterval(start: LedgerTestWorld.start, duration: 86_400)
        let day = BudgetService.Line(
            BudgetStatus(
                budget: Budget(scope: .client("acme"), period: .day, amount: Self.dollars("2")), window: window,
                spent: Self.dollars("0.5"), reserved: Self.dollars("0.25")))
        #expect(day.id == "client:acme/day" && day.scope == "client:acme" && day.period == "day")
        #expect(day.amount == "2.00" && day.spent == "0.50" && day.reserved == "0.25" && day.remaining == "1.25")
        #expect(day.windowStart == window.start && day.windowEnd == window.end)
        let total = BudgetService.Line(
            BudgetStatus(
                budget: Budget(scope: .global, period: .total, amount: Self.dollars("2")), window: window,
                spent: .zero, reserved: .zero))
        #expect(total.windowStart == nil && total.windowEnd == nil)
        let keys = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(day)) as? [String: Any]
        ).keys
        #expect(Set(keys) == ["id", "scope", "period", "amount", "spent", "reserved", "remaining", "window_start", "window_end"])
    }
}
