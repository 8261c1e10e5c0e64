import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct UsageServiceTests {
    /// Drafts written for `clients` (each with the kind and user given), one model call each.
    static func draft(
        _ runtime: Runtime, _ clients: [(client: String, kind: DraftKind, user: String)]
    ) async throws {
        for entry in clients {
            _ = try await runtime.drafts.generate(
                client: try runtime.client(entry.client), kind: entry.kind, hint: nil, as: ActingUser(entry.user))
        }
    }

    @Test func totalsPerClientPromptAndUserMatchTheCallsLogged() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        #expect(try await runtime.usage.totals().isEmpty, "no call, no group")
        try await Self.draft(
            runtime,
            [
                ("acme", .followUp, "maria"), ("acme", .checkIn, "maria"), ("acme", .followUp, "tom"),
                ("globex", .checkIn, "tom"), ("hooli", .followUp, "maria"),
            ])
        let records = try await runtime.log.recentCalls(limit: 100)
        #expect(records.count == 5, "one offline call per draft: \(records.map(\.promptID))")

        let byClient = try await runtime.usage.totals(by: .client)
        #expect(byClient.map(\.key) == ["acme", "globex", "hooli"])
        #expect(byClient.map(\.calls) == [3, 1, 1])
        for total in byClient {
            let mine = records.filter { $0.clientID == total.key }
            #expect(total.inputTokens == mine.reduce(0) { $0 + $1.inputTokens }, "\(total.key)")
            #expect(total.outputTokens == mine.reduce(0) { $0 + $1.outputTokens }, "\(total.key)")
            #expect(total.offlineCalls == mine.count)
            #expect(total.cost == .zero && total.unpricedCalls == 0, "the offline provider is free and priced")
        }
        let byPrompt = try await runtime.usage.totals(by: .prompt)
        #expect(byPrompt.map(\.key) == ["draft.check-in", "draft.follow-up-email"])
        #expect(byPrompt.map(\.calls) == [2, 3])
        let byUser = try await runtime.usage.totals(by: .user)
        #expect(byUser.map(\.key) == ["maria", "tom"])
        #expect(byUser.map(\.calls) == [3, 2])

        let all = try #require(try await runtime.usage.totals().first)
        #expect(all.key == "all" && all.calls == 5 && all.failures == 0 && all.refused == 0)
        #expect(all.inputTokens == byClient.reduce(0) { $0 + $1.inputTokens })
        #expect(all.inputTokens > 0 && all.outputTokens > 0)
    }

    @Test func sinceCountsOnlyLaterCallsAndDaysGroupThem() async throws {
        let world = try LedgerTestWorld()
        let later = LedgerTestWorld.start.addingTimeInterval(2 * 86_400)
        try await Self.draft(try await world.runtime(), [("acme", .followUp, "maria"), ("globex", .checkIn, "maria")])
        let runtime = try await world.runtime(at: later)
        try await Self.draft(runtime, [("globex", .checkIn, "tom")])  // tom owns globex; hooli is sven's, outside his team

        let recent = try await runtime.usage.totals(by: .client, since: later.addingTimeInterval(-86_400))
        #expect(recent.map(\.key) == ["globex"])
        #expect(recent.map(\.calls) == [1])
        #expect(try await runtime.usage.totals(since: later.addingTimeInterval(1)).isEmpty)
        let days = try await runtime.usage.totals(by: .day)
        #expect(days.map(\.calls) == [2, 1])
        #expect(days.map(\.key) == ["2026-09-21", "2026-09-23"])
    }

    @Test func aRefusedCallIsCountedAsRefused() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        try await runtime.budgets.set(
            Budget(scope: .global, period: .day, amount: Money(dollars: "0.0001")!), as: .anonymous)
        let priced = try await world.pricedRuntime()
        await #expect(throws: BudgetError.self) {
            try await priced.prompts.run("draft.check-in", clientID: "acme", variables: [:], as: .anonymous)
        }
        try await Self.draft(runtime, [("acme", .checkIn, "maria")])

        let byModel = try await runtime.usage.totals(by: .model)
        let refused = try #require(byModel.first { $0.key.contains("gpt-4o-mini") }, "\(byModel.map(\.key))")
        #expect(refused.calls == 1 && refused.refused == 1 && refused.offlineCalls == 0)
        #expect(refused.cost == .zero, "nothing was spent on the refused call")
        let all = try #require(try await runtime.usage.totals().first)
        #expect(all.calls == 2 && all.refused == 1 && all.offlineCalls == 1)
    }

    @Test func linesPrintTheLedgersSnakeCaseKeys() throws {
        let totals = UsageTotals(
            key: "acme", calls: 3, failures: 1, refused: 1, offlineCalls: 1, inputTokens: 120, outputTokens: 40,
            cachedInputTokens: 8, cost: Money(dollars: "0.25")!, unpricedCalls: 1)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(UsageService.Line(totals)))
        let object = try #require(json as? [String: Any])
        #expect(
            Set(object.keys) == [
                "key", "calls", "failures", "refused", "offline", "input_tokens", "output_tokens",
                "cached_input_tokens", "cost", "unpriced_calls",
            ])
        #expect(object["cost"] as? String == "0.25")
        #expect(object["input_tokens"] as? Int == 120)
        #expect(object["offline"] as? Int == 1)
    }
}
