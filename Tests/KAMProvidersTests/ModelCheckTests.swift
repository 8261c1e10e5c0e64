import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

/// `kam models check`'s checks against scripted llama.cpp-style servers (`RunawayStreamTests`' server-sent events over
/// `MockTransport`): a healthy server, one without json_schema, an unreachable one, and a slow first token (on a manual
/// clock, so nothing waits).
@Suite struct ModelCheckTests {
    static let cityAnswer = #"{"city":"Lagos","country":"Nigeria"}"#

    /// How a scripted server treats the ways of asking for structured output.
    struct Server: Sendable {
        var takesJSONSchema = true
        var callsTools = true
        /// Clock time a streamed answer takes to its first piece.
        var firstToken: Duration = .seconds(1)
        var clock: ManualClock

        var transport: MockTransport {
            let server = self
            return MockTransport(
                { request in
                    if request.method == "GET" { return HTTPResponseData(status: 200, text: #"{"data":[{"id":"smollm2"}]}"#) }
                    return server.answer(request)
                },
                stream: { request in
                    let body = Self.body(request)
                    if !server.takesJSONSchema, body["response_format"]?["type"]?.stringValue == "json_schema" {
                        return HTTPStreamResponse(status: 400, body: MockTransport.chunks([Self.refusal]))
                    }
                    let text = body["response_format"] == nil ? "It arrives on Friday. The driver calls ahead." : RunawayStreamTests.validAnswer
                    let answer = RunawayStreamTests.answer(text)
                    let (clock, delay) = (server.clock, server.firstToken)
                    // The first piece comes `firstToken` later on the manual clock; the rest at once.
                    let delayed = AsyncThrowingStream<Data, any Error> { continuation in
                        let task = Task {
                            clock.advance(by: delay)
                            do {
                                for try await piece in answer.body { continuation.yield(piece) }
                                continuation.finish()
                            } catch {
                                continuation.finish(throwing: error)
                            }
                        }
                        continuation.onTermination = { _ in task.cancel() }
                    }
                    return HTTPStreamResponse(status: 200, headers: answer.headers, body: delayed)
                })
        }

        static let refusal = Data(#"{"error":{"message":"response_format type json_schema is not supported","type":"invalid_request_error"}}"#.utf8)

        static func body(_ request: HTTPRequestData) -> JSONValue {
            (try? JSONValue.parse(String(decoding: request.body, as: UTF8.self))) ?? .null
        }

        func answer(_ request: HTTPRequestData) -> HTTPResponseData {
            let body = Self.body(request)
            if body["tools"] != nil {
                guard callsTools else { return MockTransport.chatCompletion("Lagos is in Nigeria.") }
                let call: JSONValue = [
                    "choices": [["index": 0, "finish_reason": "tool_calls", "message": [
                        "role": "assistant",
                        "tool_calls": [["id": "1", "type": "function", "function": ["name": "city", "arguments": .string(ModelCheckTests.cityAnswer)]]],
                    ]]],
                ]
                return HTTPResponseData(status: 200, text: call.compactJSONText)
            }
            if body["response_format"]?["type"]?.stringValue == "json_schema", !takesJSONSchema {
                return HTTPResponseData(status: 400, body: Self.refusal)
            }
            return MockTransport.chatCompletion(ModelCheckTests.cityAnswer)
        }
    }

    static let local = ResolvedModel(
        name: "smol", provider: ProviderConfiguration(name: "local", kind: .openaiCompatible, baseURL: "http://127.0.0.1:8080/v1"),
        modelID: "smollm2")

    func check(_ transport: MockTransport, clock: ManualClock) -> ModelCheck {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ledger = BudgetLedger(store: InMemoryBudgetStore(), prices: PriceTable(models: [:]), now: { now })
        return ModelCheck(
            factory: ProviderFactory(environment: [:], transport: transport), clock: clock,
            meter: CallMeter(ledger: ledger, log: InMemoryCallLog(), now: { now }), counter: WordCounter())
    }

    func sample() throws -> ModelCheck.Sample {
        ModelCheck.Sample(
            template: try RunawayStreamTests().template(), variables: RunawayStreamTests().variables, input: "Acme")
    }

    @Test func aHealthyServerPassesEveryCheckAndGetsJSONSchemaRecommended() async throws {
        let clock = ManualClock()
        let report = await check(Server(clock: clock).transport, clock: clock).run(Self.local, sample: try sample())
        #expect(report.passed, "\(report.steps)")
        #expect(report.steps.map(\.name) == ["reachable", "structured-output", "speed", "shipped-prompt"])
        #expect(report.steps.allSatisfy { $0.status == .ok }, "\(report.steps)")
        #expect(report.structuredOutput.map(\.mode) == ["json_schema", "tool schema", "schema in prompt"])
        #expect(report.structuredOutput.allSatisfy { $0.works }, "\(report.structuredOutput)")
        let speed = try #require(report.speed)
        #expect(speed.firstTokenSeconds == 1)
        #expect(speed.outputTokens > 1)
        let sample = try #require(report.promptSample)
        #expect(sample.valid && sample.attempts == 1 && sample.maxAttempts == 3 && sample.failureCodes.isEmpty)
        let advice = try #require(report.recommended)
        #expect(advice.jsonSchema == true)
        #expect(advice.firstTokenSeconds == 10)
        #expect(advice.options["repeat_penalty"] == .double(1.3))
        #expect(advice.maxOutputTokens == ModelRecommendation.localMaxOutputTokens)
    }

    @Test func aServerWithoutJSONSchemaIsToldToPutTheSchemaInThePrompt() async throws {
        let clock = ManualClock()
        let server = Server(takesJSONSchema: false, callsTools: false, clock: clock)
        let report = await check(server.transport, clock: clock).run(Self.local, sample: try sample())
        #expect(report.passed, "a warning passes: \(report.steps)")
        #expect(report.structuredOutput.map(\.works) == [false, false, true])
        #expect(report.structuredOutput[0].detail.contains("HTTP 400"), "\(report.structuredOutput[0])")
        #expect(report.structuredOutput[1].detail.contains("without calling the tool"), "\(report.structuredOutput[1])")
        let step = try #require(report.steps.first { $0.name == "structured-output" })
        #expect(step.status == .warn)
        #expect(step.advice?.contains("json_schema: false") == true, "\(step)")
        #expect(report.recommended?.jsonSchema == false)
        #expect(report.recommended?.structuredOutput == "schema in prompt")
        // The shipped prompt still gets a valid answer: the provider falls back to the schema in the prompt.
        #expect(report.promptSample?.valid == true)
    }

    @Test func anUnreachableServerFailsWithWhatToDoAndSkipsTheRest() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _ in throw ProviderError(code: .connection, message: "connection refused (127.0.0.1:8080)") }
        let report = await check(transport, clock: clock).run(Self.local, sample: try sample())
        #expect(!report.passed)
        let reach = try #require(report.steps.first)
        #expect(reach.name == "reachable" && reach.status == .fail)
        #expect(reach.detail.contains("connection refused"))
        #expect(reach.advice?.contains("tools/local-model") == true && reach.advice?.contains("base_url") == true)
        #expect(report.steps.dropFirst().allSatisfy { $0.status == .skipped })
        #expect(report.promptSample == nil && report.speed == nil)
    }

    @Test func aSlowFirstTokenIsMeasuredWarnedAndTheDeadlineRaised() async throws {
        let clock = ManualClock()
        let server = Server(firstToken: .seconds(45), clock: clock)
        let report = await check(server.transport, clock: clock).run(Self.local, sample: try sample())
        let speed = try #require(report.speed)
        #expect(speed.firstTokenSeconds == 45)
        let step = try #require(report.steps.first { $0.name == "speed" })
        #expect(step.status == .warn, "45 s is more than half the 60 s first-token deadline")
        #expect(step.advice?.contains("first_token_seconds") == true)
        #expect(report.recommended?.firstTokenSeconds == 225)
        #expect(report.passed)
    }

    @Test func timeoutsScaleWithTheMeasuredSpeedAndOptionsAreOnlyRaised() {
        var model = Self.local
        model.options = ["temperature": .double(0), "repeat_penalty": .double(1.1)]
        let advice = ModelRecommendation.make(
            for: model, modes: [ModelCheckReport.ModeResult(mode: "json_schema", works: true, detail: "")],
            speed: ModelCheckReport.Speed(firstTokenSeconds: 0.4, tokensPerSecond: 40, outputTokens: 64, totalSeconds: 2))
        #expect(advice.firstTokenSeconds == 10)
        #expect(advice.idleSeconds == 10)
        // 600 tokens at 40 a second, twice over: 30 s, after the 10 s first-token deadline.
        #expect(advice.timeoutSeconds == 40)
        #expect(advice.options["temperature"] == .double(0), "a lower temperature than recommended is kept")
        #expect(advice.options["repeat_penalty"] == .double(1.3), "a weaker penalty is raised")
        #expect(advice.options["repeat_last_n"] == .int(256))
        let yaml = advice.yaml(provider: "local", model: "smol", kind: .openaiCompatible)
        #expect(yaml.contains("json_schema: true") && yaml.contains("timeout_seconds: 40") && yaml.contains("max_output_tokens: 600"))
        // The grammar's ceiling for a server whose json_schema works (the configured one when set); none without it.
        #expect(advice.grammarMaxLength == ModelRecommendation.localGrammarMaxLength && yaml.contains("grammar_max_length: 300"))
        var bounded = Self.local
        bounded.provider.schemaBounds.ceiling = 200
        #expect(
            ModelRecommendation.make(
                for: bounded, modes: [ModelCheckReport.ModeResult(mode: "json_schema", works: true, detail: "")], speed: nil
            ).grammarMaxLength == 200)
        let inPrompt = ModelRecommendation.make(
            for: Self.local, modes: [ModelCheckReport.ModeResult(mode: "schema in prompt", works: true, detail: "")], speed: nil)
        #expect(inPrompt.jsonSchema == false && inPrompt.grammarMaxLength == nil)
        let remote = ModelRecommendation.make(
            for: ResolvedModel(name: "fast", provider: ProviderConfiguration(name: "openai", kind: .openai), modelID: "gpt-4o-mini"),
            modes: [], speed: nil)
        #expect(remote.options.isEmpty && remote.maxOutputTokens == nil && remote.jsonSchema == nil)
    }
}
