import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Synchronization
import Testing

/// A scripted llama.cpp-style streaming server (server-sent events over `MockTransport`) behind the real
/// openai-compatible provider, the resilient chain and the prompt runner: a runaway answer is cut early, recorded as
/// `output.degenerate` and repaired with stronger anti-repetition settings; a cut-off answer is `output.truncated`;
/// sampling options reach the wire per backend.
@Suite struct RunawayStreamTests {
    static let validAnswer = """
        {"subject":"Next steps","body":"Hi Ana, thanks for the call. I will send the inspection summary on Friday.",\
        "call_to_action":"Reply with a time","tone":"friendly","facts_used":[{"fact":"inspection on Friday","source":"memory: inspection"}]}
        """

    static func event(_ content: String?, finish: String? = nil, usage: Int? = nil) -> Data {
        var choice: [String: JSONValue] = ["index": .int(0), "delta": content.map { ["content": .string($0)] } ?? [:]]
        if let finish { choice["finish_reason"] = .string(finish) }
        var chunk: [String: JSONValue] = ["model": "/models/smollm2.gguf", "choices": .array([.object(choice)])]
        if let usage { chunk["usage"] = ["prompt_tokens": .int(400), "completion_tokens": .int(Int64(usage))] }
        return Data("data: \(JSONValue.object(chunk).compactJSONText)\n\n".utf8)
    }

    /// A whole answer streamed in pieces of 12 characters, ending with `finish`.
    static func answer(_ text: String, finish: String = "stop") -> HTTPStreamResponse {
        var events: [Data] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            events.append(event(String(rest.prefix(12))))
            rest = rest.dropFirst(12)
        }
        events.append(event(nil, finish: finish, usage: events.count))
        events.append(Data("data: [DONE]\n\n".utf8))
        return HTTPStreamResponse(status: 200, headers: ["content-type": "text/event-stream"], body: MockTransport.chunks(events))
    }

    /// A body that repeats one phrase for up to 5,000 events, produced only as it is read; `pulled` counts them.
    static func runaway(pulled: Counter) -> HTTPStreamResponse {
        let body = AsyncThrowingStream<Data, any Error>(unfolding: {
            let count = pulled.next()
            if count == 1 { return event(#"{"subject":"Follow-up","body":"Dear Maria, "#) }
            return count > 5000 ? nil : event("Client email: MariaLopez, ")
        })
        return HTTPStreamResponse(status: 200, headers: ["content-type": "text/event-stream"], body: body)
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func next() -> Int {
            count.withLock { value -> Int in
                value += 1
                return value
            }
        }
        var value: Int { count.withLock { $0 } }
    }

    final class Bodies: Sendable {
        let list = Mutex<[JSONValue]>([])
        func append(_ request: HTTPRequestData) {
            let body = (try? JSONValue.parse(String(decoding: request.body, as: UTF8.self))) ?? JSONValue.null
            list.withLock { $0.append(body) }
        }
        var all: [JSONValue] { list.withLock { $0 } }
    }

    func template() throws -> PromptTemplate {
        let prompts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Prompts")
        return try PromptRegistry(directory: prompts).load(PromptReference(parsing: "draft.follow-up-email@1"))
    }

    var variables: [String: JSONValue] {
        ["client_name": "Acme", "context": "Acme is a client.", "hint": "mention the inspection"]
    }

    /// The runner as `RunnerFactory` builds it for `route`, over `transport`. Its stream deadlines are on a clock that
    /// never moves: these tests are about what the answer says, and a loaded machine must not make them about time.
    func runner(_ route: ModelRoute, transport: MockTransport, log: InMemoryCallLog) -> RoutedRunner {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ledger = BudgetLedger(store: InMemoryBudgetStore(), prices: PriceTable(models: [:]), now: { now })
        let meter = CallMeter(ledger: ledger, log: log, now: { now })
        let chain = ProviderFactory(environment: ["OPENAI_API_KEY": "sk-test"], transport: transport).resilientProvider(
            route: route, retry: RetryConfiguration(), clock: ManualClock())
        return RoutedRunner(runner: PromptRunner(meter: meter, route: route, chain: chain.provider, counter: WordCounter()), route: route)
    }

    static let local = ProviderConfiguration(name: "local", kind: .openaiCompatible, baseURL: "http://127.0.0.1:8080/v1")

    @Test func aRunawayIsCutEarlyRecordedAndRepairedWithStrongerSettings() async throws {
        let pulled = Counter()
        let bodies = Bodies()
        let calls = Counter()
        let transport = MockTransport(stream: { request in
            bodies.append(request)
            let call = calls.next()
            return call == 1 ? Self.runaway(pulled: pulled) : Self.answer(Self.validAnswer)
        })
        let route = ModelRoute(
            primary: ResolvedModel(name: "smol", provider: Self.local, modelID: "smollm2", maxOutputTokens: 600, options: ["top_k": .int(40)]))
        let log = InMemoryCallLog()
        let routed = runner(route, transport: transport, log: log)
        let run = try await routed.runner.run(try template(), variables: variables, as: DraftOutput.self, options: routed.options())
        #expect(run.output.subject == "Next steps")
        let codes: [String?] = run.attempts.map { $0.failureCode }
        #expect(codes == ["output.degenerate", nil])
        #expect(run.attempts[0].text.contains("MariaLopez"))
        // Stopped after a few dozen of the server's 5,000 tokens (the transport may read ahead of the detector; the
        // request is cancelled as soon as it stops).
        #expect(run.attempts[0].usage.outputTokens < 40)
        #expect(run.attempts[0].text.count < 1000)
        let sent = bodies.all
        #expect(sent.count == 2)
        #expect(sent[0]["stream"] == true)
        #expect(sent[0]["top_k"] == .int(40))
        #expect(sent[0]["repeat_penalty"] == nil)
        #expect(sent[1]["repeat_penalty"] == .double(1.3))
        #expect(sent[1]["frequency_penalty"] == .double(0.3))
        #expect(sent[1]["top_k"] == .int(40))
        let lastMessage = try #require(sent[1]["messages"]?.arrayValue?.last?["content"]?.stringValue)
        #expect(lastMessage.contains("repeating itself"))
        #expect(!(sent[1]["messages"]?.arrayValue ?? []).contains { $0["role"] == "assistant" })
        let rows = try await log.recentCalls(limit: 10).sorted { $0.errorCode ?? "" > $1.errorCode ?? "" }
        let rowCodes: [String?] = rows.map { $0.errorCode }
        #expect(rowCodes == ["output.degenerate", nil])
        #expect(rows[0].usage.outputTokens > 0)
    }

    @Test func aCutOffAnswerIsItsOwnFailureWithItsTokenCount() async throws {
        let bodies = Bodies()
        let transport = MockTransport(stream: { request in
            bodies.append(request)
            return Self.answer(String(Self.validAnswer.prefix(60)), finish: "length")
        })
        let route = ModelRoute(primary: ResolvedModel(name: "smol", provider: Self.local, modelID: "smollm2", maxOutputTokens: 5))
        let log = InMemoryCallLog()
        let routed = runner(route, transport: transport, log: log)
        let error = try await #require(throws: PromptRunError.self) {
            try await routed.runner.run(try template(), variables: variables, as: DraftOutput.self, options: routed.options())
        }
        #expect(error.code == "output.truncated")
        #expect(error.attempts.allSatisfy { $0.failureCode == "output.truncated" })
        #expect(error.description.contains("cut off"))
        let repair = try #require(bodies.all.dropFirst().first?["messages"]?.arrayValue?.last?["content"]?.stringValue)
        #expect(repair.contains("cut off at the output limit of 5 tokens after 5 tokens"))
        let rows = try await log.recentCalls(limit: 10)
        #expect(rows.contains { $0.errorCode == "output.truncated" })
    }

    @Test func aPromptOptionTheBackendDoesNotTakeIsRefusedBeforeAnyCall() async throws {
        var template = try template()
        template.model.options = ["repeat_penalty": .double(1.3)]
        template.model.optionOrigins = ["repeat_penalty": "Prompts/draft.follow-up-email/1.prompty:12"]
        let transport = MockTransport { _ in Issue.record("no call expected"); return MockTransport.chatCompletion("{}") }
        let openai = ProviderConfiguration(name: "openai", kind: .openai)
        let routed = runner(ModelRoute(primary: ResolvedModel(name: "fast", provider: openai, modelID: "gpt-4o-mini")), transport: transport, log: InMemoryCallLog())
        let error = try await #require(throws: ProviderError.self) {
            try await routed.runner.run(template, variables: variables, as: DraftOutput.self, options: routed.options())
        }
        #expect(error.code == .configuration)
        #expect(error.message.contains("`repeat_penalty` (set at Prompts/draft.follow-up-email/1.prompty:12)"))
        #expect(error.message.contains("provider 'openai' (openai)"))
    }

    @Test func optionsReachTheWireInEachBackendsShape() throws {
        let request = ChatRequest(
            model: "m", messages: [ChatMessage(role: .user, content: "hi")], temperature: 0.2,
            extraOptions: ["top_p": .double(0.9), "stop": "END", "seed": .int(3)])
        let openai = OpenAICodec(apiKey: "k").body(request, stream: false)
        #expect(openai["top_p"] == .double(0.9))
        #expect(openai["stop"] == "END")
        #expect(openai["seed"] == .int(3))
        #expect(openai["temperature"] == .double(0.2))
        var anthropicRequest = request
        anthropicRequest.extraOptions = ["top_k": .int(20), "stop": "END"]
        let anthropic = AnthropicCodec(apiKey: "k").body(anthropicRequest, stream: false)
        #expect(anthropic["stop_sequences"] == ["END"])
        #expect(anthropic["stop"] == nil)
        #expect(anthropic["top_k"] == .int(20))
    }
}

extension RunawayStreamTests {
    @Test func aCompatibleServerGetsABoundedSchemaAndOpenAIGetsItAsWritten() throws {
        let schema: JSONValue = ["type": "object", "properties": ["body": ["type": "string"]]]
        let request = ChatRequest(model: "m", messages: [ChatMessage(role: .user, content: "hi")], outputSchema: schema)
        let compatible = OpenAICompatibleProvider(
            baseURL: "http://127.0.0.1:8080/v1", transport: MockTransport(), schemaBounds: SchemaBounds(maxLength: 400, maxItems: 5))
        let sent = compatible.codec.body(request, stream: false)["response_format"]?["json_schema"]?["schema"]
        #expect(sent?["properties"]?["body"]?["maxLength"] == .int(400))
        let openai = OpenAICodec(apiKey: "k").body(request, stream: false)["response_format"]?["json_schema"]?["schema"]
        #expect(openai == schema)
    }
}
