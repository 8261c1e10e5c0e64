import Foundation
import KAMCore
import KAMResources
import KAMProviders
import KAMStore
import KAMTesting
import Testing

/// The shipped suites run through the offline provider as CI runs them, results stored in SQLite;
/// a deliberately broken prompt version fails the gate; a stored run resumes; promotion can require a run.
@Suite struct EvalShippedSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Counter: TokenCounting {
        func countTokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }
    }

    /// Runs a shipped suite offline into `repository` and returns its report.
    func run(
        _ name: String, prompts: URL = root.appendingPathComponent("Prompts"), repository: EvalRunRepository? = nil,
        runID: String = "run"
    ) async throws -> (EvalReport, EvalRunRepository) {
        let suite = try EvalSuiteLoader.load(path: Self.root.appendingPathComponent("Evaluations/\(name).yaml").path)
        let cases = try EvalSuiteLoader.loadCases(path: suite.resolve(suite.dataset).path)
        let store = try ClientStore.inMemory()
        var facts = EvalFactIndex()
        if let fixtures = suite.fixtures {
            _ = try ClientImporter(store: store).importFile(at: suite.resolve(fixtures).path)
            facts = EvalFactIndex(snapshots: try store.listClients().compactMap { try store.snapshot(clientID: $0.id, activitiesSince: .distantPast) })
        }
        let registry = PromptRegistry(directory: prompts)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ledger = BudgetLedger(store: InMemoryBudgetStore(), prices: try PriceTable.bundled(), now: { now })
        let targets = try suite.variants.map { variant in
            let runner = PromptRunner(meter: CallMeter(ledger: ledger, log: InMemoryCallLog(), now: { now }), providerName: "offline", counter: Counter()) { observer in
                ResilientProvider(routes: [ProviderRoute(provider: OfflineProvider())], policy: .none, observer: observer)
            }
            return EvalEngine.Target(
                variant: variant, template: try registry.load(variant.reference(promptID: suite.promptID)), runner: runner,
                options: PromptRunner.Options(model: "offline"))
        }
        let repository = try repository ?? EvalRunRepository(writer: ClientStore.inMemory().writer)
        if try repository.run(id: runID) == nil {
            try repository.createRun(
                id: runID, suite: suite,
                variants: targets.map { .init(name: $0.variant.name, version: $0.template.version, contentHash: $0.template.contentHash, model: "offline", provider: "offline") })
        }
        let engine = EvalEngine(suite: suite, cases: cases, targets: targets, memory: store, facts: facts, counter: Counter(), now: now)
        _ = try await engine.run(runID: runID, sink: repository)
        let report = EvalReport(suite: suite, runID: runID, createdAt: now, caseIDs: cases.map(\.id), results: try repository.results(runID: runID))
        try repository.finish(runID: runID, report: report, interrupted: false)
        return (report, repository)
    }

    @Test func followUpSuitePassesItsGateOffline() async throws {
        let (report, _) = try await run("follow-up-email")
        #expect(report.complete)
        #expect(report.results.count == 64)
        #expect(report.gatePassed, "\(report.gate)")
        let candidate = try #require(report.summary("candidate"))
        #expect(candidate.passRate >= 0.8)
        #expect(candidate.refused == 4)
        #expect(candidate.errors == 0)
        // Withheld consent: refused without a model call, as expected.
        #expect(report.results.filter(\.refused).allSatisfy { $0.passed && $0.tags == ["withheld-consent"] && $0.inputTokens == 0 })
        // No client's answer names another client.
        #expect(report.results.allSatisfy { $0.assertions.first { $0.name == "no-other-client-facts" }?.passed ?? true })
    }

    @Test func teamCoachingSuiteRunsOfflineAndPassesItsGate() async throws {
        let (report, _) = try await run("team-coaching")
        #expect(report.results.count == 24)  // 12 owner-weeks, two variants
        #expect(report.gatePassed, "\(report.gate)")
        #expect(try #require(report.summary("candidate")).errors == 0)
        // Offline, every answer is schema-valid, free of placeholders and promises nothing (it does not read the
        // figures: takes-up-the-figures is for a model).
        for name in ["schema-valid", "no-placeholders", "promises-nothing"] {
            #expect(report.results.allSatisfy { $0.assertions.first { $0.name == name }?.passed == true }, "\(name)")
        }
    }

    @Test func inboundSuiteReportsExtractionScoresOffline() async throws {
        let (report, _) = try await run("inbound-email")
        #expect(report.results.count == 72)
        #expect(report.gatePassed, "\(report.gate)")
        let baseline = try #require(report.summary("baseline"))
        #expect(baseline.metrics["action_items_f1"] != nil)
        // Every labelled action item is either found or missed.
        let labelled = try EvalSuiteLoader.loadCases(path: Self.root.appendingPathComponent("Evaluations/inbound-email.jsonl").path)
            .reduce(0) { $0 + ($1.expect["action_items"]?.arrayValue?.count ?? 0) }
        #expect((baseline.metrics["action_items_tp"] ?? 0) + (baseline.metrics["action_items_fn"] ?? 0) == Double(labelled))
        #expect(labelled > 30)
        #expect(baseline.errors == 0)
        // Version 2 reads objections and competitors: the offline reading finds labelled ones (its phrase list, and the
        // names after "evaluating", "talking to"...; not Initrode in "Initrode quoted us", which has no cue).
        #expect((baseline.metrics["objections_tp"] ?? 0) >= 3, "\(baseline.metrics)")
        #expect((baseline.metrics["competitors_tp"] ?? 0) >= 2, "\(baseline.metrics)")
    }

    @Test func aBrokenPromptVersionFailsTheGate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prompt = folder.appendingPathComponent("draft.follow-up-email")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Prompts/draft.follow-up-email"), to: prompt)
        // Version 2 broken: it no longer declares the facts and the hint, so answers cite nothing and miss the ask.
        let file = prompt.appendingPathComponent("2.prompty")
        var text = try String(contentsOf: file, encoding: .utf8)
        for input in ["hint", "facts"] {
            let range = try #require(text.range(of: "  - name: \(input)\n"))
            let end = try #require(text.range(of: "  - name:", range: range.upperBound..<text.endIndex)?.lowerBound)
            text.removeSubrange(range.lowerBound..<end)
        }
        text = text.replacingOccurrences(of: "{{#hint}}The account manager asks: {{hint}}\n{{/hint}}", with: "")
        text = text.replacingOccurrences(of: "{{#facts.0}}\nFacts on record:\n{{/facts.0}}\n{{#facts}}\n- {{text}}\n{{/facts}}\n", with: "")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (report, repository) = try await run("follow-up-email", prompts: folder)
        let passed = report.gatePassed
        #expect(!passed)
        #expect(report.gate.first { $0.condition.hasPrefix("candidate.pass_rate >= baseline") }?.passed == false)
        #expect((report.comparison?.pValue ?? 1) < 0.05)
        // `kam prompts promote --require-eval` finds no passing run for the broken version.
        let broken = try PromptRegistry(directory: folder).load(PromptReference(parsing: "draft.follow-up-email@2"))
        #expect(try repository.passingRun(suite: "follow-up-email", promptID: "draft.follow-up-email", contentHash: broken.contentHash) == nil)
    }

    @Test func storedRunResumesAndRequireEvalFindsIt() async throws {
        let store = try ClientStore.inMemory()
        let repository = EvalRunRepository(writer: store.writer)
        let (first, _) = try await run("follow-up-email", repository: repository, runID: "r1")
        let stored = try repository.storedKeys(runID: "r1")
        #expect(stored.count == 64)
        // Delete a third of the results, as if the run had been killed, and resume the same run id.
        try await store.writer.write { db in try db.execute(sql: "DELETE FROM eval_results WHERE run_id = 'r1' AND case_id LIKE 'n%'") }
        let missing = 64 - (try repository.storedKeys(runID: "r1").count)
        #expect(missing > 0)
        let (second, _) = try await run("follow-up-email", repository: repository, runID: "r1")
        #expect(second.results.count == 64)
        #expect(second.results.map(\.key) == first.results.map(\.key))
        #expect(second.results.map(\.passed) == first.results.map(\.passed))
        let v2 = try PromptRegistry(directory: Self.root.appendingPathComponent("Prompts")).load(PromptReference(parsing: "draft.follow-up-email@2"))
        #expect(try repository.passingRun(suite: "follow-up-email", promptID: "draft.follow-up-email", contentHash: v2.contentHash)?.id == "r1")
    }

    @Test func experimentsAreStoredAndTallyTheirDrafts() throws {
        let store = try ClientStore.inMemory()
        let repository = ExperimentRepository(writer: store.writer)
        let experiment = Experiment(id: "e1", promptID: "draft.follow-up-email", variants: ["1", "2"], split: [50, 50], startedAt: Date())
        try repository.start(experiment)
        #expect(try repository.running(promptID: "draft.follow-up-email")?.id == "e1")
        #expect(throws: ExperimentError.self) {
            try repository.start(Experiment(id: "e2", promptID: "draft.follow-up-email", variants: ["1", "2"], split: [50, 50], startedAt: Date()))
        }
        var stopped = experiment
        stopped.status = .stopped
        try repository.save(stopped)
        #expect(try repository.running(promptID: "draft.follow-up-email") == nil)
        #expect(try repository.outcomes(experimentID: "e1").isEmpty)
    }
}
