import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

/// Retries, fallbacks, timeouts and error mapping over real HTTP, against `tools/fault-provider`.
///
/// Backoff waits run on a manual clock (nothing sleeps); only the HTTP exchanges take real time.
@Suite("Fault provider end to end", .serialized)
struct FaultProviderTests {
    static let transport = AsyncHTTPClientTransport.shared

    func baseURL() throws -> String {
        try FaultProviderServer.url.get()
    }

    /// A model name whose fault counters are this test's own.
    func model(_ faults: String) -> String { "fault:\(faults)@\(UUID().uuidString)" }

    func openAI(_ base: String, timeout: Duration = .seconds(20)) -> OpenAIProvider {
        OpenAIProvider(apiKey: "sk-test-FAULTKEY0000000000", baseURL: base + "/v1", transport: Self.transport, timeout: timeout)
    }

    @Test func retriesA429HonouringRetryAfter() async throws {
        let base = try baseURL()
        let clock = ManualClock()
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: openAI(base))],
            policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), attemptTimeout: nil), clock: clock,
            random: .constant(0))
        let request = ChatRequest(model: model("429-retry-after-2,times-1"), messages: [.user("hello")])
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        #expect(response.attempts == 2)
        #expect(response.text.hasPrefix("fault-provider answer"))
        #expect(clock.now.offset == .seconds(2))
        #expect(response.usage.inputTokens == 1)
    }

    @Test func serverErrorIsRetriedThenSucceeds() async throws {
        let base = try baseURL()
        let clock = ManualClock()
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: openAI(base))], policy: RetryPolicy(attemptTimeout: nil), clock: clock)
        let response = try await runAdvancing(clock) {
            try await resilient.complete(ChatRequest(model: model("500,times-1"), messages: [.user("x")]))
        }
        #expect(response.attempts == 2)
        #expect(!response.isOffline)
    }

    @Test func hangIsCutByTheTransportDeadlineThenFallsBack() async throws {
        let base = try baseURL()
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let resilient = ResilientProvider(
            routes: [
                ProviderRoute(provider: openAI(base, timeout: .milliseconds(300)), maxAttempts: 1),
                ProviderRoute(provider: OfflineProvider()),
            ],
            policy: RetryPolicy(attemptTimeout: nil), clock: clock, observer: attempts.observer)
        let response = try await runAdvancing(clock) {
            try await resilient.complete(ChatRequest(model: model("hang"), messages: [.user("x")]))
        }
        #expect(response.isOffline)
        #expect(attempts.all.first?.outcome == .failure(
            code: "provider.timeout", httpStatus: nil, retryable: true, message: attempts.all.first?.outcome.message ?? ""))
    }

    /// A slow, silent, non-streamed answer is bounded by the call's timeout, not by a read timeout shorter than it
    /// (a CPU model given 600 s was cut at the transport's old 60 s read timeout); a configured read timeout still cuts.
    @Test func aSlowAnswerWithinTheTimeoutIsNotCutByAReadTimeout() async throws {
        let base = try baseURL()
        let patient = OpenAIProvider(
            apiKey: "sk-test-FAULTKEY0000000000", baseURL: base + "/v1", transport: AsyncHTTPClientTransport.shared,
            timeout: .seconds(20))
        let answer = try await patient.complete(ChatRequest(model: model("latency-1200ms"), messages: [.user("x")]))
        #expect(!answer.text.isEmpty)
        let strict = AsyncHTTPClientTransport(configuration: .init(readTimeout: .milliseconds(300)))
        defer { Task { try? await strict.shutdown() } }
        let cut = OpenAIProvider(apiKey: "sk-test-FAULTKEY0000000000", baseURL: base + "/v1", transport: strict, timeout: .seconds(20))
        await #expect(throws: ProviderError.self) {
            try await cut.complete(ChatRequest(model: model("latency-1200ms"), messages: [.user("x")]))
        }
    }

    @Test func hangIsCutByTheAttemptTimerOnTheInjectedClock() async throws {
        let base = try baseURL()
        let clock = ManualClock()
        let resilient = ResilientProvider(
            routes: [
                ProviderRoute(provider: openAI(base), maxAttempts: 1, attemptTimeout: .seconds(45)),
                ProviderRoute(provider: OfflineProvider()),
            ],
            policy: RetryPolicy(attemptTimeout: nil), clock: clock)
        let response = try await runAdvancing(clock) {
            try await resilient.complete(ChatRequest(model: model("hang"), messages: [.user("x")]))
        }
        #expect(response.isOffline)
        #expect(clock.now.offset == .seconds(45))
    }

    @Test func malformedJSONIsAClearError() async throws {
        let base = try baseURL()
        let request = ChatRequest(model: model("malformed"), messages: [.user("x")])
        let error = await #expect(throws: ProviderError.self) { try await openAI(base).complete(request) }
        #expect(error?.code == .malformedResponse)
        #expect(error?.message.contains("not a Chat Completions response") == true)
        #expect(error?.description.contains("FAULTKEY") == false)
    }

    @Test func truncatedStreamIsAnError() async throws {
        let base = try baseURL()
        let request = ChatRequest(model: model("truncated-stream"), messages: [.user("a fairly long question to answer")])
        var deltas = 0
        let error = await #expect(throws: ProviderError.self) {
            for try await event in openAI(base).stream(request) {
                if case .delta = event { deltas += 1 }
            }
        }
        #expect(deltas > 0)
        #expect(error?.code == .truncatedStream || error?.code == .connection)
        #expect(error?.isRetryable == true)
    }

    @Test func anthropicStreamsAForcedToolAnswer() async throws {
        let base = try baseURL()
        let schema: JSONValue = ["type": "object", "properties": ["subject": ["type": "string"]], "required": ["subject"]]
        let provider = AnthropicProvider(apiKey: "sk-ant-FAULTKEY00000000", baseURL: base, transport: Self.transport)
        let request = ChatRequest(model: "claude-test", messages: [.system("s"), .user("write")], outputSchema: schema)
        let response = try await provider.collect(provider.stream(request))
        #expect(response.json?["subject"]?.stringValue?.isEmpty == false)
        #expect(response.usage.outputTokens > 0)
        let whole = try await provider.complete(request)
        #expect(whole.json == response.json)
    }

    @Test func anthropicRateLimitCarriesRetryAfter() async throws {
        let base = try baseURL()
        let provider = AnthropicProvider(apiKey: "k", baseURL: base, transport: Self.transport)
        let error = await #expect(throws: ProviderError.self) {
            try await provider.complete(ChatRequest(model: model("429-retry-after-3"), messages: [.user("x")]))
        }
        #expect(error?.retryAfter == .seconds(3))
        #expect(error?.code == .rateLimited)
    }

    @Test func schemaBreakingAnswerIsReturnedForValidationNotHidden() async throws {
        let base = try baseURL()
        let schema: JSONValue = ["type": "object", "properties": ["subject": ["type": "string"]], "required": ["subject"]]
        let response = try await openAI(base).complete(
            ChatRequest(model: model("schema-break"), messages: [.user("x")], outputSchema: schema))
        #expect(response.json?["subject"] == nil)
        #expect(response.json?["unexpected"] != nil)
    }

    @Test func connectionRefusedIsRetryableAndNeverShowsTheKey() async throws {
        let provider = OpenAIProvider(
            apiKey: "sk-live-NEVERSHOWN1234567", baseURL: "http://127.0.0.1:9/v1", transport: Self.transport,
            timeout: .milliseconds(500))
        let error = await #expect(throws: ProviderError.self) {
            try await provider.complete(ChatRequest(model: "gpt-4o", messages: [.user("x")]))
        }
        #expect(error?.isRetryable == true)
        #expect(error?.provider == "openai")
        #expect(error.map { String(describing: $0) }?.contains("NEVERSHOWN") == false)
    }
}
