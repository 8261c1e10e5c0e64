import KAMCore
import KAMProviders
import KAMTesting
import Synchronization
import Testing

@Suite("Provider factory")
struct ProviderFactoryTests {
    @Test func missingKeyFallsBackToOfflineAndSaysWhy() async throws {
        let openai = ProviderConfiguration(name: "openai", kind: .openai)
        let route = ModelRoute(primary: ResolvedModel(name: "fast", provider: openai, modelID: "gpt-4o-mini"))
        let chain = ProviderFactory(environment: [:]).resilientProvider(route: route)
        #expect(chain.isOfflineOnly)
        #expect(chain.skipped.first?.message.contains("OPENAI_API_KEY") == true)
        let response = try await chain.provider.complete(ChatRequest(model: "gpt-4o-mini", messages: [.user("x")]))
        #expect(response.isOffline)
    }

    @Test func keyedProviderIsFirstInTheChain() {
        let anthropic = ProviderConfiguration(name: "claude", kind: .anthropic, apiKeyVariable: "MY_KEY")
        let route = ModelRoute(
            primary: ResolvedModel(name: "main", provider: anthropic, modelID: "claude-haiku"),
            fallbacks: [ResolvedModel(name: "off", provider: ProviderConfiguration(name: "offline", kind: .offline), modelID: "offline")])
        let chain = ProviderFactory(environment: ["MY_KEY": "sk-ant-xyz"]).resilientProvider(route: route)
        #expect(!chain.isOfflineOnly)
        #expect(chain.provider.routes.map(\.provider.name) == ["anthropic", "offline"])
        #expect((chain.provider.routes.first?.provider as? AnthropicProvider)?.codec.encodeRequest(
            ChatRequest(model: "m", messages: [])).url == "https://api.anthropic.com/v1/messages")
    }

    /// The transport's own limit on a stream is only a backstop when `timeout_seconds` is not set: the stream's deadlines
    /// bound it (a 600-token answer of a CPU model takes longer than the 60 s default).
    @Test func aStreamedCompatibleAnswerIsBoundByItsDeadlinesNotTheTransportTimeout() async throws {
        final class Limits: HTTPTransport {
            let seen = Mutex<[Duration]>([])
            func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData {
                seen.withLock { $0.append(timeout) }
                return MockTransport.chatCompletion("{}")
            }
            func stream(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPStreamResponse {
                seen.withLock { $0.append(timeout) }
                return try await MockTransport { _ in MockTransport.chatCompletion("{}") }.stream(request, timeout: timeout)
            }
        }
        let request = ChatRequest(model: "smollm2", messages: [.user("x")], maxOutputTokens: 600)
        for (explicit, expected) in [(false, ProviderFactory.streamBackstop), (true, Duration.seconds(60))] {
            let transport = Limits()
            let local = ProviderConfiguration(
                name: "local", kind: .openaiCompatible, baseURL: "http://127.0.0.1:8080/v1", timeoutIsExplicit: explicit)
            let provider = try ProviderFactory(environment: [:], transport: transport).provider(for: local)
            _ = try await provider.collect(provider.stream(request))
            _ = try await provider.complete(request)
            #expect(transport.seen.withLock { $0 } == [expected, .seconds(60)], "timeout_seconds set: \(explicit)")
        }
    }

    @Test func providerWideLimitIsSharedByItsModels() async throws {
        let clock = ManualClock()
        let limiter = try #require(
            ProviderFactory.rateLimiter(
                [RateLimitConfiguration(target: .provider("openai", model: nil), requestsPerMinute: 1)], clock: clock))
        try await limiter.acquire("openai/gpt-4o", tokens: 1)
        #expect(await limiter.waitTime(for: "openai/gpt-4o-mini", tokens: 1) == .seconds(60))
        #expect(await limiter.waitTime(for: "anthropic/claude", tokens: 1) == .zero)
    }
}
