import Foundation
import Testing

@testable import KAMCore
import KAMResources

@Suite("PriceTable")
struct PriceTableTests {
    @Test("money parses and prints dollars exactly")
    func moneyParsing() throws {
        #expect(Money(dollars: "25.00") == Money(dollars: 25))
        #expect(Money(dollars: "$0.000000075")?.picodollars == 75_000)
        #expect(Money(dollars: "1_000.5")?.description == "$1000.50")
        #expect(Money(dollars: "-1") == nil)
        #expect(Money(dollars: "1e3") == nil)
        #expect(Money(dollars: "0.0000000000001") == nil)
        #expect(Money(picodollars: 1_500_000_000).description == "$0.0015")
        // A sum of many tiny costs is exact, unlike Double.
        var total = Money.zero
        for _ in 0..<10_000 { total += Money(dollarsPerMillionTokens: 0.1) * 1 }
        #expect(total == Money(dollars: "0.001"))
    }

    @Test("the bundled table has OpenAI and Anthropic chat models with their source")
    func bundled() throws {
        let table = try PriceTable.bundled()
        #expect(table.source.contains("litellm"))
        #expect(!table.sourceDate.isEmpty)
        let mini = try #require(table.price(for: "gpt-4o-mini"))
        #expect(mini.provider == "openai")
        #expect(mini.input == Money(dollarsPerMillionTokens: 0.15))
        #expect(mini.output == Money(dollarsPerMillionTokens: 0.6))
        #expect(mini.cachedInput == Money(dollarsPerMillionTokens: 0.075))
        #expect(mini.contextWindow == 128_000)
        let haiku = try #require(table.price(for: "claude-haiku-4-5"))
        #expect(haiku.provider == "anthropic")
        #expect(haiku.cacheCreationInput == Money(dollarsPerMillionTokens: 1.25))
        #expect(table.price(for: "offline")?.input == .zero)
        #expect(table.models.count > 100)
    }

    @Test("cost prices cached input and cache creation at their own prices")
    func costOfUsage() throws {
        let table = try PriceTable.bundled()
        // 1,000 prompt tokens of which 400 cached, 500 output, at gpt-4o-mini prices.
        let usage = Usage(inputTokens: 1000, outputTokens: 500, cachedInputTokens: 400)
        let cost = table.cost(of: usage, model: "gpt-4o-mini")
        // 600 × 0.15 + 400 × 0.075 + 500 × 0.6 = 90 + 30 + 300 = 420 $/M-tokens → $0.00042
        #expect(cost == .known(Money(dollars: "0.00042")!))

        // Anthropic: 100 uncached, 1,000 read from cache, 2,000 written to cache, 10 output, at haiku-4-5 prices.
        let anthropic = Usage(inputTokens: 3100, outputTokens: 10, cachedInputTokens: 1000, cacheCreationInputTokens: 2000)
        // 100 × 1 + 1000 × 0.1 + 2000 × 1.25 + 10 × 5 = 100 + 100 + 2500 + 50 = 2750 → $0.00275
        #expect(table.cost(of: anthropic, model: "claude-haiku-4-5") == .known(Money(dollars: "0.00275")!))
    }

    @Test("an unknown model costs 'unknown', never zero")
    func unknownModel() throws {
        let table = try PriceTable.bundled()
        let cost = table.cost(of: Usage(inputTokens: 10, outputTokens: 10), model: "my-llama.gguf")
        #expect(cost == .unknown(model: "my-llama.gguf"))
        #expect(cost.money == nil)
        #expect((CallCost.known(Money(dollars: 1)) + cost).isKnown == false)
        #expect(cost.description.contains("price unknown"))
    }

    @Test("lookup by provider prefix")
    func providerPrefix() throws {
        let table = try PriceTable.bundled()
        // A bare name that is also a model of its own is priced as that model first: take one that is not (in a fixed
        // order: the dictionary's order changes from run to run, which made this test flaky).
        let qualified = try #require(
            table.models.keys.sorted().first { $0.hasPrefix("gemini/") && table.models[String($0.dropFirst("gemini/".count))] == nil })
        let bare = String(qualified.dropFirst("gemini/".count))
        #expect(table.price(for: bare, provider: "gemini") == table.models[qualified])
        // And a bare name that is its own model is that model, whatever the provider says.
        if let shared = table.models.keys.sorted().first(where: { $0.hasPrefix("gemini/") && table.models[String($0.dropFirst(7))] != nil }) {
            let name = String(shared.dropFirst(7))
            #expect(table.price(for: name, provider: "gemini") == table.models[name])
        }
    }

    @Test("a user file overrides a price and adds a model")
    func overrides() throws {
        let table = try PriceTable.bundled()
        let merged = try table.merging(
            overrides: """
                models:
                  gpt-4o-mini:
                    input: 0.10
                  smollm2-135m:
                    provider: openai-compatible
                    input: 0
                    output: 0.01
                    max_output_tokens: 2048
                """, file: "prices.yaml")
        #expect(merged.price(for: "gpt-4o-mini")?.input == Money(dollarsPerMillionTokens: 0.10))
        #expect(merged.price(for: "gpt-4o-mini")?.output == Money(dollarsPerMillionTokens: 0.6))
        #expect(merged.price(for: "smollm2-135m")?.maxOutputTokens == 2048)
        #expect(merged.cost(of: Usage(inputTokens: 5, outputTokens: 1_000_000), model: "smollm2-135m") == .known(Money(dollars: "0.01")!))
        #expect(merged.overrideFiles == ["prices.yaml"])
    }

    @Test("a bad override names file, line and field")
    func badOverride() throws {
        let table = try PriceTable.bundled()
        let error = try #require(throws: ConfigurationError.self) {
            try table.merging(
                overrides: """
                    models:
                      new-model:
                        provider: x
                        input: cheap
                    """, file: "prices.yaml")
        }
        let issue = try #require(error.issues.first)
        #expect(issue.file == "prices.yaml")
        #expect(issue.line == 4)
        #expect(issue.field == "models.new-model.input")
        #expect(error.issues.count == 1)
        let missing = try #require(throws: ConfigurationError.self) {
            try table.merging(overrides: "models:\n  other:\n    input: 1\n", file: "p.json")
        }
        #expect(missing.description.contains("needs both 'input' and 'output'"))
    }

    @Test("worst case takes every input token at the dearest input price and all max output tokens")
    func worstCase() throws {
        let price = ModelPrice(
            provider: "x", input: Money(picodollars: 10), output: Money(picodollars: 100),
            cachedInput: Money(picodollars: 1), cacheCreationInput: Money(picodollars: 20))
        #expect(price.worstCaseCost(inputTokens: 5, maxOutputTokens: 7) == Money(picodollars: 5 * 20 + 7 * 100))
        // Real costs never exceed it.
        for cached in 0...5 {
            for created in 0...(5 - cached) {
                let usage = Usage(inputTokens: 5, outputTokens: 7, cachedInputTokens: cached, cacheCreationInputTokens: created)
                #expect(price.cost(of: usage) <= price.worstCaseCost(inputTokens: 5, maxOutputTokens: 7))
            }
        }
    }
}
