import Foundation
import KAMCore
import KAMResources
import KAMTesting
import Testing

/// The agent loop: render, call under budgets, validate, repair, meter every attempt.
@Suite struct PromptRunnerTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    static let validAnswer = """
        {"subject":"Next steps","body":"Hi Ana, thanks for the call.","call_to_action":"Reply with a time",
         "tone":"friendly","facts_used":[{"fact":"inspection on Friday","source":"memory: inspection"}]}
        """
    static let invalidAnswer = """
        {"subject":"Next steps","body":"Hi","call_to_action":"Reply","tone":"sarcastic","facts_used":[]}
        """

    func template() throws -> PromptTemplate {
        let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Prompts")
        return try PromptRegistry(directory: prompts).load(PromptReference(parsing: "draft.follow-up-email@1"))
    }

    func runner(_ provider: ScriptedProvider, log: InMemoryCallLog, budgets: [Budget] = []) throws -> PromptRunner {
        let prices = PriceTable(models: [
            "gpt-4o-mini": ModelPrice(
                provider: "openai", input: Money(dollarsPerMillionTokens: 0.15),
                output: Money(dollarsPerMillionTokens: 0.60), contextWindow: 128_000, maxOutputTokens: 16_384),
            "gpt-4o": ModelPrice(
                provider: "openai", input: Money(dollarsPerMillionTokens: 2.50),
                output: Money(dollarsPerMillionTokens: 10.00), contextWindow: 128_000, maxOutputTokens: 16_384),
        ])
        let now = self.now
        let ledger = BudgetLedger(store: InMemoryBudgetStore(budgets: budgets), prices: prices, now: { now })
        let meter = CallMeter(ledger: ledger, log: log, now: { now })
        return PromptRunner(meter: meter, providerName: "openai", counter: WordCounter()) { observer in
            ResilientProvider(routes: [ProviderRoute(provider: provider)], policy: .none, observer: observer)
        }
    }

    var variables: [String: JSONValue] {
        ["client_name": "Acme", "context": "Acme is a client.", "hint": "mention the inspection"]
    }

    @Test func validAnswerDecodesAndIsMetered() async throws {
        let provider = ScriptedProvider.answering(Self.validAnswer, name: "openai", usage: Usage(inputTokens: 100, outputTokens: 50))
        let log = InMemoryCallLog()
        let run = try await runner(provider, log: log).run(
            try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"),
            attribution: CallAttribution(userID: "u1", clientID: "acme"))
        #expect(run.output.subject == "Next steps")
        #expect(run.attempts.count == 1)
        #expect(run.usage == Usage(inputTokens: 100, outputTokens: 50))
        let request = try #require(provider.requests.first)
        #expect(request.outputSchema != nil)
        #expect(request.metadata["prompt_id"] == "draft.follow-up-email")
        #expect(request.messages.contains { $0.content.contains("mention the inspection") })
        let rows = try await log.recentCalls(limit: 10)
        #expect(rows.count == 1)
        #expect(rows.first?.outcome == .success)
        #expect(rows.first?.clientID == "acme")
        #expect(rows.first?.promptID == "draft.follow-up-email")
        #expect(run.cost.money == Money(picodollars: 100 * 150_000 + 50 * 600_000))
    }

    @Test func invalidAnswerIsRepairedWithItsIssues() async throws {
        let provider = ScriptedProvider(name: "openai") { request, call in
            ChatResponse(
                text: call == 1 ? Self.invalidAnswer : Self.validAnswer, model: request.model, provider: "openai",
                usage: Usage(inputTokens: 10, outputTokens: 10))
        }
        let log = InMemoryCallLog()
        let run = try await runner(provider, log: log).run(
            try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"))
        #expect(run.attempts.count == 2)
        #expect(run.attempts[0].issues.contains { $0.instanceLocation == "/tone" })
        #expect(run.usage.inputTokens == 20)
        let repair = try #require(provider.requests.last?.messages.last)
        #expect(repair.role == .user)
        #expect(repair.content.contains("/tone"))
        #expect(provider.requests.last?.messages.dropLast().last?.content == Self.invalidAnswer)
        #expect(try await log.recentCalls(limit: 10).count == 2)
    }

    @Test func attemptsRunOutWithEverythingKept() async throws {
        let provider = ScriptedProvider.answering("{\"subject\": \"cut off", name: "openai")
        let log = InMemoryCallLog()
        let error = await #expect(throws: PromptRunError.self) {
            try await runner(provider, log: log).run(
                try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"))
        }
        let limit = try template().repairAttempts + 1
        #expect(error?.attempts.count == limit)
        #expect(error?.lastOutput == "{\"subject\": \"cut off")
        #expect(error?.usage.inputTokens == 10 * limit)
        let rows = try await log.recentCalls(limit: 10)
        #expect(rows.count == limit)
        #expect(rows.filter { $0.outcome == .failure }.count == 1)
        #expect(rows.contains { $0.errorCode == "output.invalid" })
    }

    @Test func budgetRefusalSendsNothing() async throws {
        let provider = ScriptedProvider.answering(Self.validAnswer, name: "openai")
        let tiny = Budget(scope: .client("acme"), period: .month, amount: Money(picodollars: 1))
        await #expect(throws: BudgetError.self) {
            try await runner(provider, log: InMemoryCallLog(), budgets: [tiny]).run(
                try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"),
                attribution: CallAttribution(clientID: "acme"))
        }
        #expect(provider.callCount == 0)
    }

    @Test func reservationCoversTheDearestFallback() async throws {
        let provider = ScriptedProvider.answering(Self.validAnswer, name: "openai")
        // 700 output tokens: ~$0.0004 on gpt-4o-mini, ~$0.007 on gpt-4o; the budget fits only the first.
        let budget = Budget(scope: .client("acme"), period: .month, amount: Money(picodollars: 2_000_000_000))
        var withFallback = try runner(provider, log: InMemoryCallLog(), budgets: [budget])
        withFallback.fallbacks = [(model: "gpt-4o", provider: "openai")]
        await #expect(throws: BudgetError.self) {
            try await withFallback.run(
                try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"),
                attribution: CallAttribution(clientID: "acme"))
        }
        #expect(provider.callCount == 0)
        let alone = try runner(provider, log: InMemoryCallLog(), budgets: [budget])
        let run = try await alone.run(
            try template(), variables: variables, as: DraftOutput.self, options: .init(model: "gpt-4o-mini"),
            attribution: CallAttribution(clientID: "acme"))
        #expect(run.attempts.count == 1)
    }

    @Test func missingRequiredInputIsAnErrorNotAnEmptyString() async throws {
        let provider = ScriptedProvider.answering(Self.validAnswer, name: "openai")
        await #expect(throws: PromptError.self) {
            try await runner(provider, log: InMemoryCallLog()).run(
                try template(), variables: ["hint": "x"], as: DraftOutput.self, options: .init(model: "gpt-4o-mini"))
        }
        #expect(provider.callCount == 0)
    }
}
