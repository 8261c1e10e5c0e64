import Foundation
import KAMCore
import KAMResources
import KAMTesting

/// A fresh evaluation world per test: prompts from the repository, a runner over any provider.
enum EvalTestSupport {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func registry(_ directory: URL = root.appendingPathComponent("Prompts")) -> PromptRegistry {
        PromptRegistry(directory: directory)
    }

    static func runner(_ provider: any ModelProvider) throws -> PromptRunner {
        let now = self.now
        let ledger = BudgetLedger(store: InMemoryBudgetStore(), prices: try PriceTable.bundled(), now: { now })
        let meter = CallMeter(ledger: ledger, log: InMemoryCallLog(), now: { now })
        return PromptRunner(meter: meter, providerName: provider.name, counter: WordCounter()) { observer in
            ResilientProvider(routes: [ProviderRoute(provider: provider)], policy: .none, observer: observer)
        }
    }

    static func targets(_ suite: EvalSuite, provider: any ModelProvider, registry: PromptRegistry? = nil) throws -> [EvalEngine.Target] {
        let registry = registry ?? self.registry()
        return try suite.variants.map { variant in
            EvalEngine.Target(
                variant: variant, template: try registry.load(variant.reference(promptID: suite.promptID)),
                runner: try runner(provider), options: PromptRunner.Options(model: variant.model ?? "gpt-4o-mini"))
        }
    }

    static let answerV1 = #"{"subject":"Next steps","body":"Hello Ana, following up on the Gearbox retrofit. TODO add price","call_to_action":"Reply","tone":"friendly","facts_used":[]}"#
    static let answerV2 = #"{"subject":"Next steps","body":"Hello Ana, the Gearbox retrofit is ready for review. Shall we meet?","call_to_action":"Meet Tuesday?","tone":"friendly","facts_used":[]}"#

    /// Answers by prompt version: version 1 leaves a placeholder, version 2 does not.
    static func versionedProvider(delay: Duration? = nil) -> ScriptedProvider {
        ScriptedProvider(name: "openai") { request, _ in
            if let delay { try await Task.sleep(for: delay) }
            let version = request.metadata["prompt_version"]?.stringValue
            return ChatResponse(
                text: version == "1" ? answerV1 : answerV2, model: request.model, provider: "openai",
                usage: Usage(inputTokens: 100, outputTokens: 40))
        }
    }

    static func suite(cases: Int = 10, gate: [String] = ["candidate.pass_rate >= baseline.pass_rate - 0.02"], concurrency: Int = 3)
        throws -> (EvalSuite, [EvalCase])
    {
        let yaml = """
            name: unit
            prompt: draft.follow-up-email
            variants:
              - name: baseline
                version: 1
              - name: candidate
                version: 2
            dataset: unit.jsonl
            concurrency: \(concurrency)
            assertions:
              - type: schema-valid
              - type: no-placeholders
              - type: contains
                field: body
                values: [gearbox]
            gate:
            \(gate.map { "  - \"\($0)\"" }.joined(separator: "\n"))
            """
        let suite = try EvalSuiteLoader.parse(yaml, file: "unit.yaml")
        let lines = (1...cases).map { #"{"id":"case-\#($0)","vars":{"client_name":"Northwind","context":"Northwind buys gears."}}"# }
        let evalCases = try EvalSuiteLoader.parseCases(lines.joined(separator: "\n"), file: "unit.jsonl")
        return (suite, evalCases)
    }
}
