import KAMCore
import KAMProviders
import KAMTesting
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
