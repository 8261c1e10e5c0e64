import Foundation
import KAMCore
import KAMResources
import KAMProviders
import KAMStore
import KAMTesting

/// `kam-bench eval`: 1,000 cases × 2 variants through a fake provider answering after 200 ms, at
/// concurrency 16, each result written to SQLite as it finishes; then the same suite again from the
/// response cache. The ideal first run is 2,000 × 0.2 s / 16 = 25 s (target ≤ 1.1 × ideal); the cached
/// run makes no provider call (target < 2 s). `--cases N`, `--concurrency N`, `--latency-ms N` change the load.
enum EvalBench {
    static let benchmark = Benchmark(
        name: "eval", summary: "1,000 cases × 2 variants, 200 ms fake provider, concurrency 16; then the same run from cache"
    ) { arguments in
        func option(_ name: String) -> Int? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return Int(arguments[index + 1])
        }
        return try await run(
            cases: option("--cases") ?? 1000, concurrency: option("--concurrency") ?? 16, latencyMilliseconds: option("--latency-ms") ?? 200)
    }

    static let answer = #"{"subject":"Next steps","body":"Hello Ana, following up on the gearbox retrofit. Shall we meet on Tuesday?","call_to_action":"Meet Tuesday?","tone":"friendly","facts_used":[]}"#

    static func run(cases count: Int, concurrency: Int, latencyMilliseconds: Int) async throws -> [BenchResult] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("cache")
        let store = try ClientStore.open(path: folder.appendingPathComponent("bench.sqlite").path)
        let repository = EvalRunRepository(writer: store.writer)
        let yaml = """
            name: bench
            prompt: draft.follow-up-email
            variants:
              - {name: baseline, version: 1, model: gpt-4o-mini}
              - {name: candidate, version: 2, model: gpt-4o-mini}
            dataset: bench.jsonl
            concurrency: \(concurrency)
            assertions:
              - type: schema-valid
              - type: no-placeholders
              - type: contains
                field: body
                values: [gearbox]
              - type: word-count
                field: body
                max: 120
            gate:
              - candidate.pass_rate >= baseline.pass_rate - 0.02
            """
        let suite = try EvalSuiteLoader.parse(yaml, file: "bench.yaml")
        let cases = (0..<count).map { index in
            EvalCase(id: "case-\(index)", variables: ["client_name": .string("Client \(index)"), "context": .string("Client \(index) buys gearboxes; order \(index * 7).")])
        }
        let delay = Duration.milliseconds(latencyMilliseconds)
        let fake = ScriptedProvider(name: "openai") { request, _ in
            try await Task.sleep(for: delay)
            return ChatResponse(text: answer, model: request.model, provider: "openai", usage: Usage(inputTokens: 400, outputTokens: 60), latency: delay)
        }
        let registry = PromptRegistry(directory: PromptRegistry.resolveDirectory())
        let tokenizer = try Tokenizer(encoding: .o200kBase)
        // The ledgers `kam eval run` uses: budgets and the usage ledger in the same SQLite file.
        let ledger = BudgetLedger(store: SQLiteBudgetStore(writer: store.writer), prices: try PriceTable.bundled(), now: { Date() })
        let log = SQLiteCallLog(writer: store.writer)
        let targets = try suite.variants.map { variant in
            let meter = CallMeter(ledger: ledger, log: log, now: { Date() })
            let runner = PromptRunner(meter: meter, providerName: "openai", counter: tokenizer) { observer in
                let live = ResilientProvider(
                    routes: [ProviderRoute(provider: RecordingProvider(recording: fake, into: cache))], policy: .none, observer: observer)
                return ReplayFirstProvider(cache: ReplayProvider(directory: cache), live: live)
            }
            return EvalEngine.Target(
                variant: variant, template: try registry.load(variant.reference(promptID: suite.promptID)), runner: runner,
                options: PromptRunner.Options(model: "gpt-4o-mini"))
        }
        let engine = EvalEngine(suite: suite, cases: cases, targets: targets, counter: tokenizer, now: Date())
        let ideal = Double(count * 2) * Double(latencyMilliseconds) / 1000 / Double(concurrency)

        var results: [BenchResult] = []
        for (label, runID) in [("live", "live"), ("cached", "cached")] {
            try repository.createRun(id: runID, suite: suite, variants: [])
            let callsBefore = fake.callCount
            let start = now()
            let outcome = try await engine.run(runID: runID, sink: repository)
            let seconds = now() - start
            let stored = try repository.storedKeys(runID: runID).count
            let report = EvalReport(suite: suite, runID: runID, createdAt: Date(), caseIDs: cases.map(\.id), results: try repository.results(runID: runID))
            FileHandle.standardError.write(
                Data("eval \(label): \(outcome.ran) results in \(String(format: "%.2f", seconds)) s, \(fake.callCount - callsBefore) provider calls, stored \(stored), gate \(report.gatePassed ? "passed" : "failed")\n".utf8))
            results.append(BenchResult(benchmark: "eval", metric: "\(label)_seconds", value: seconds, unit: "s", n: outcome.ran))
            results.append(BenchResult(benchmark: "eval", metric: "\(label)_provider_calls", value: Double(fake.callCount - callsBefore), unit: "calls", n: outcome.ran))
            if label == "live" {
                results.append(BenchResult(benchmark: "eval", metric: "live_vs_ideal", value: seconds / ideal, unit: "x", n: outcome.ran))
            }
        }
        return results
    }
}
