import Foundation
import KAMTesting
import Testing

@testable import KAMCore

@Suite("CallMeter")
struct CallMeterTests {
    static let prices = PriceTable(models: [
        "a": ModelPrice(provider: "p", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000)),
        "b": ModelPrice(provider: "p", input: Money(picodollars: 10_000), output: Money(picodollars: 20_000)),
    ])
    let clock = ManualWallClock(Date(timeIntervalSince1970: 1_795_000_000))

    func makeMeter(_ budgets: [Budget] = []) -> (CallMeter, BudgetLedger, InMemoryCallLog) {
        let clock = self.clock
        let ledger = BudgetLedger(store: InMemoryBudgetStore(budgets: budgets), prices: Self.prices, now: { clock.now })
        let log = InMemoryCallLog()
        return (CallMeter(ledger: ledger, log: log, now: { clock.now }, makeID: { "call-1" }), ledger, log)
    }

    /// A local server answers with its file path; the ledger, and usage by model, keep the configured name (#15 item 4).
    @Test func theConfiguredModelIsRecordedAndTheServedNameKeptBesideIt() async throws {
        let (meter, _, log) = makeMeter()
        let local = ScriptedProvider(name: "openai-compatible") { _, _ in
            ChatResponse(text: "{}", model: "/models/smollm2.gguf", provider: "openai-compatible", usage: Usage(inputTokens: 4, outputTokens: 2))
        }
        let chain = ResilientProvider(
            routes: [ProviderRoute(provider: local, model: "smollm2")], policy: .none)
        let metered = try await meter.call(
            ChatRequest(model: "a", messages: [], maxOutputTokens: 10), provider: "openai-compatible",
            attribution: CallAttribution(userID: "ana"), inputTokens: 4
        ) { request, _ in try await chain.complete(request) }
        #expect(metered.response.configuredModel == "smollm2")
        #expect(metered.response.model == "/models/smollm2.gguf")
        let row = try #require(log.records.first)
        #expect(row.requestedModel == "smollm2")
        #expect(row.answeredModel == "/models/smollm2.gguf")
        #expect(try await log.usage(UsageQuery(grouping: .model)).map(\.key) == ["smollm2"])
    }

    @Test("the ledger row is written before the answer is returned, with every attempt summed")
    func successRecord() async throws {
        let (meter, _, log) = makeMeter()
        let request = ChatRequest(
            model: "a", messages: [], maxOutputTokens: 10,
            metadata: ["prompt_id": "follow-up", "prompt_version": "3", "prompt_hash": "abc"])
        let metered = try await meter.call(
            request, provider: "p", attribution: CallAttribution(userID: "ana", clientID: "acme"), inputTokens: 5
        ) { request, observer in
            await observer.record(
                CallAttempt(
                    number: 1, provider: "p", model: "a",
                    outcome: .failure(code: ProviderError.Code.rateLimited.rawValue, httpStatus: 429, retryable: true, message: "slow down"),
                    latency: .milliseconds(30)))
            await observer.record(
                CallAttempt(
                    number: 2, provider: "p", model: "b", outcome: .success(.stop),
                    usage: Usage(inputTokens: 5, outputTokens: 3), latency: .milliseconds(120)))
            // Nothing is logged while the call runs; the row exists by the time `call` returns.
            #expect(log.records.isEmpty)
            return ChatResponse(text: "{}", model: "b", provider: "p", usage: Usage(inputTokens: 5, outputTokens: 3), attempts: 2)
        }
        let row = try #require(log.records.first)
        #expect(log.records.count == 1)
        #expect(row == metered.record)
        #expect(row.attempts == 2)
        #expect(row.requestedModel == "a")
        #expect(row.answeredModel == "b")
        #expect(row.promptID == "follow-up")
        #expect(row.promptVersion == "3")
        #expect(row.promptHash == "abc")
        #expect(row.userID == "ana")
        #expect(row.clientID == "acme")
        #expect(row.latencyMilliseconds == 150)
        // Priced at the model that answered: 5 × 10,000 + 3 × 20,000.
        #expect(row.cost == Money(picodollars: 110_000))
        #expect(metered.cost == .known(Money(picodollars: 110_000)))
    }

    @Test("a failed call without tokens releases its reservation and logs the error code")
    func failureReleases() async throws {
        let budget = Budget(scope: .global, period: .total, amount: Money(dollars: 1))
        let (meter, ledger, log) = makeMeter([budget])
        await #expect(throws: ProviderError.self) {
            try await meter.call(ChatRequest(model: "a", messages: [], maxOutputTokens: 10), provider: "p", inputTokens: 5) {
                _, observer in
                await observer.record(
                    CallAttempt(
                        number: 1, provider: "p", model: "a",
                        outcome: .failure(code: ProviderError.Code.timeout.rawValue, httpStatus: nil, retryable: true, message: "")))
                throw ProviderError(code: .timeout, message: "no answer in 60 s", isRetryable: true)
            }
        }
        let status = try await ledger.status(id: budget.id)
        #expect(status.reserved == .zero)
        #expect(status.spent == .zero)
        let row = try #require(log.records.first)
        #expect(row.outcome == .failure)
        #expect(row.errorCode == "provider.timeout")
        #expect(row.attempts == 1)
    }

    @Test("tokens used by failed attempts are charged")
    func failureCharges() async throws {
        let budget = Budget(scope: .global, period: .total, amount: Money(dollars: 1))
        let (meter, ledger, log) = makeMeter([budget])
        await #expect(throws: ProviderError.self) {
            try await meter.call(ChatRequest(model: "a", messages: [], maxOutputTokens: 10), provider: "p", inputTokens: 5) {
                _, observer in
                await observer.record(
                    CallAttempt(
                        number: 1, provider: "p", model: "a",
                        outcome: .failure(code: ProviderError.Code.truncatedStream.rawValue, httpStatus: nil, retryable: true, message: ""),
                        usage: Usage(inputTokens: 5, outputTokens: 4)))
                throw ProviderError(code: .truncatedStream, message: "cut off", isRetryable: true)
            }
        }
        #expect(try await ledger.status(id: budget.id).spent == Money(picodollars: 13_000))
        #expect(log.records.first?.cost == Money(picodollars: 13_000))
    }

    /// A stream cut off, or an answer stopped for repeating itself, brings no usage from the server: the
    /// attempt reports only the pieces it saw, and the ledger bills the counted input with them.
    @Test("an attempt that generated output without reported usage is billed the counted input")
    func outputWithoutUsageIsBilledTheInput() async throws {
        let budget = Budget(scope: .global, period: .total, amount: Money(dollars: 1))
        let (meter, ledger, log) = makeMeter([budget])
        await #expect(throws: ProviderError.self) {
            try await meter.call(ChatRequest(model: "a", messages: [], maxOutputTokens: 10), provider: "p", inputTokens: 7) {
                _, observer in
                await observer.record(
                    CallAttempt(
                        number: 1, provider: "p", model: "a",
                        outcome: .failure(code: ProviderError.Code.timeout.rawValue, httpStatus: nil, retryable: true, message: ""),
                        usage: .zero))
                await observer.record(
                    CallAttempt(
                        number: 2, provider: "p", model: "a",
                        outcome: .failure(code: ProviderError.Code.degenerateOutput.rawValue, httpStatus: nil, retryable: false, message: ""),
                        usage: Usage(inputTokens: 0, outputTokens: 3)))
                throw ProviderError(code: .degenerateOutput, message: "repeating", isRetryable: false)
            }
        }
        let row = try #require(log.records.first)
        // The attempt that never answered read nothing billable; the one that wrote 3 pieces read the 7 input tokens.
        #expect(row.usage.inputTokens == 7)
        #expect(row.usage.outputTokens == 3)
        #expect(row.cost == Money(picodollars: 7 * 1_000 + 3 * 2_000))
        #expect(try await ledger.status(id: budget.id).spent == Money(picodollars: 13_000))
    }

    @Test("a refused call is logged as refused and never performed")
    func refusedIsLogged() async throws {
        let (meter, _, log) = makeMeter([Budget(scope: .client("acme"), period: .day, amount: Money(picodollars: 1))])
        await #expect(throws: BudgetError.self) {
            try await meter.call(
                ChatRequest(model: "a", messages: [], maxOutputTokens: 10), provider: "p",
                attribution: CallAttribution(clientID: "acme"), inputTokens: 5
            ) { _, _ in
                Issue.record("the provider must not be called")
                return ChatResponse(text: "", model: "a", provider: "p")
            }
        }
        #expect(log.records.map(\.outcome) == [.refused])
        #expect(log.records.first?.errorCode == "budget.exceeded")
    }

    @Test("usage totals group by model, client, day")
    func usageTotals() async throws {
        let (meter, _, log) = makeMeter()
        for (model, client) in [("a", "acme"), ("a", "globex"), ("b", "acme")] {
            _ = try await meter.call(
                ChatRequest(model: model, messages: [], maxOutputTokens: 10), provider: "p",
                attribution: CallAttribution(clientID: client), inputTokens: 1
            ) { request, _ in
                ChatResponse(text: "", model: request.model, provider: "p", usage: Usage(inputTokens: 1, outputTokens: 1))
            }
        }
        let byModel = try await log.usage(UsageQuery(grouping: .model))
        #expect(byModel.map(\.key) == ["a", "b"])
        #expect(byModel.map(\.calls) == [2, 1])
        #expect(byModel.first?.cost == Money(picodollars: 6_000))
        let byClient = try await log.usage(UsageQuery(grouping: .client))
        #expect(byClient.first { $0.key == "acme" }?.calls == 2)
        let byDay = try await log.usage(UsageQuery(grouping: .day))
        #expect(byDay.map(\.key) == ["2026-11-18"])
        let none = try await log.usage(UsageQuery(since: Date(timeIntervalSince1970: 1_900_000_000)))
        #expect(none.isEmpty)
    }
}
