import Foundation
import KAMCore
import KAMTesting
import Testing

/// Sampling options: a model entry's defaults in kam.yaml, a prompt's `model.options` over them, and the refusal of
/// an option a backend does not take, naming it, the backend and where it was set.
@Suite struct SamplingOptionsTests {
    static let yaml = """
        version: 1
        providers:
          local: {kind: openai-compatible, base_url: "http://127.0.0.1:8080/v1"}
        models:
          smol:
            provider: local
            id: smollm2
            options:
              repeat_penalty: 1.3
              top_k: 40
              stop: ["</s>"]
              seed: 7
        default_model: smol
        """

    @Test func aModelEntryCarriesItsOptionsIntoTheRoute() throws {
        let configuration = try KAMConfiguration.parse(Self.yaml, file: "kam.yaml")
        let route = try configuration.route()
        #expect(route.primary.options == ["repeat_penalty": .double(1.3), "top_k": .int(40), "stop": ["</s>"], "seed": .int(7)])
        #expect(configuration.models["smol"]?.optionOrigins["repeat_penalty"]?.hasPrefix("kam.yaml:9:") == true)
        let options = PromptRunner.Options(route: route)
        #expect(options.stream)
        #expect(options.extraOptions["repeat_penalty"] == .double(1.3))
    }

    @Test func anOptionTheBackendDoesNotTakeIsRefusedAtItsLine() throws {
        let text = """
            version: 1
            models:
              fast:
                provider: openai
                id: gpt-4o-mini
                options:
                  repeat_penalty: 1.3
                  min_p: 0.05
                  top_p: 0.9
            default_model: fast
            """
        let error = try #require(throws: ConfigurationError.self) { try KAMConfiguration.parse(text, file: "kam.yaml") }
        let lines = error.issues.map(\.description)
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("kam.yaml:7:") && $0.contains("models.fast.options.repeat_penalty: the option `repeat_penalty`") })
        #expect(lines.allSatisfy { $0.contains("provider 'openai' (openai)") && $0.contains("top_p") })
        #expect(lines.contains { $0.contains("min_p") })
    }

    @Test func unknownOptionsAndBadValuesAreRefused() throws {
        let text = """
            version: 1
            providers:
              local: {kind: openai-compatible, base_url: "http://127.0.0.1:8080/v1"}
            models:
              smol:
                provider: local
                options: {repeat_penalti: 1.3, top_p: 2, seed: 1.5}
            default_model: smol
            """
        let error = try #require(throws: ConfigurationError.self) { try KAMConfiguration.parse(text, file: "kam.yaml") }
        let text2 = error.issues.map(\.description).joined(separator: "\n")
        #expect(text2.contains("repeat_penalti: unknown sampling option; did you mean 'repeat_penalty'?"))
        #expect(text2.contains("top_p: must be between 0 and 1, found 2"))
        #expect(text2.contains("seed: expected a whole number"))
    }

    @Test func backendsTakeTheirOwnOptions() {
        #expect(SamplingOptions.accepts(.openaiCompatible, "repeat_penalty"))
        #expect(SamplingOptions.accepts(.openaiCompatible, "dry_multiplier"))
        #expect(SamplingOptions.accepts(.openai, "frequency_penalty"))
        #expect(!SamplingOptions.accepts(.openai, "min_p"))
        #expect(SamplingOptions.accepts(.anthropic, "top_k"))
        #expect(!SamplingOptions.accepts(.anthropic, "seed"))
        #expect(!SamplingOptions.accepts(.anthropic, "presence_penalty"))
        #expect(SamplingOptions.accepts(.offline, "repeat_penalty"))
    }

    @Test func aRepairRaisesTheAntiRepetitionSettingsItsBackendTakes() {
        let local = SamplingOptions.againstRepetition(["repeat_penalty": .double(1.5), "top_k": .int(40)], kind: .openaiCompatible)
        #expect(local["repeat_penalty"] == .double(1.5))  // never lowered
        #expect(local["frequency_penalty"] == .double(0.3))
        #expect(local["repeat_last_n"] == .int(256))
        #expect(local["top_k"] == .int(40))
        let openai = SamplingOptions.againstRepetition([:], kind: .openai)
        #expect(openai == ["frequency_penalty": .double(0.5), "presence_penalty": .double(0.3)])
        #expect(SamplingOptions.againstRepetition([:], kind: .anthropic).isEmpty)
    }

    @Test func streamDeadlinesComeFromTheProviderEntry() throws {
        let text = """
            version: 1
            providers:
              local: {kind: openai-compatible, base_url: "http://127.0.0.1:8080/v1", first_token_seconds: 90, idle_seconds: 15}
              slow: {kind: openai-compatible, base_url: "http://127.0.0.1:8081/v1", timeout_seconds: 400}
            models:
              smol: {provider: local}
            default_model: smol
            """
        let configuration = try KAMConfiguration.parse(text, file: "kam.yaml")
        let local = try #require(configuration.providers["local"]).streamDeadlines
        #expect(local.firstToken == .seconds(90))
        #expect(local.idle == .seconds(15))
        #expect(local.overall == nil)
        #expect(local.overall(maxOutputTokens: 600) == .seconds(240))
        let slow = try #require(configuration.providers["slow"]).streamDeadlines
        #expect(slow.overall(maxOutputTokens: 600) == .seconds(400))
        #expect(slow.firstToken == .seconds(60))
    }
}
