import ArgumentParser
import Dispatch
import Foundation
import KAMCore
import KAMResources
import KAMProviders
import KAMStore
import Synchronization

/// `kam eval`: run evaluation suites (concurrent, cached, resumable), compare stored runs, list runs.
///
/// Exit codes: 0 the gate passed, 1 the gate failed (or `compare` found a regression), 13 the suite or
/// dataset is invalid, 130 interrupted (what finished is stored; resume with `--resume`).
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Offline prompt evaluations: run a suite, compare runs, list runs.",
        subcommands: [Run.self, Compare.self, List.self, Check.self])

    static let gateFailed = ExitCodes.evalGateFailed.rawValue
    static let suiteInvalid = ExitCodes.evalSuiteInvalid.rawValue
    static let interrupted = ExitCodes.interrupted.rawValue

    static func fail(_ error: EvalSuiteError) -> ExitCode {
        StoreOpening.printError(error.issues.map { "kam: \($0)" }.joined(separator: "\n"))
        return ExitCode(suiteInvalid)
    }

    /// The suite and its cases, every problem reported with file:line.
    static func load(_ path: String, limit: Int? = nil) throws -> (EvalSuite, [EvalCase]) {
        do {
            let suite = try EvalSuiteLoader.load(path: path)
            var cases = try EvalSuiteLoader.loadCases(path: suite.resolve(suite.dataset).path)
            if let limit { cases = Array(cases.prefix(limit)) }
            return (suite, cases)
        } catch {
            throw fail(error)
        }
    }

    /// Each variant's template, checked against the cases (a case missing a required input is an error).
    static func templates(_ suite: EvalSuite, _ cases: [EvalCase], registry: PromptRegistry, use: Bool) throws -> [PromptTemplate] {
        var templates: [PromptTemplate] = []
        var issues: [ConfigurationIssue] = []
        for variant in suite.variants {
            do {
                let reference = variant.reference(promptID: suite.promptID)
                templates.append(use ? try registry.use(reference) : try registry.load(reference))
            } catch {
                issues.append(
                    ConfigurationIssue(
                        file: variant.location, field: "variants.\(variant.name)",
                        message: "\(error.message); fix the variant's version or label"))
            }
        }
        for template in templates {
            issues += EvalSuiteLoader.checkCases(cases, template: template, assertions: suite.assertions)
        }
        guard issues.isEmpty else { throw fail(EvalSuiteError(code: .invalidDataset, issues: issues)) }
        return templates
    }

    /// Fixture clients in a fresh in-memory store, and the facts each one owns.
    static func fixtures(_ suite: EvalSuite, fallback: ClientStore, cases: [EvalCase]) throws -> (ClientStore, EvalFactIndex) {
        let store: ClientStore
        if let fixtures = suite.fixtures {
            let known: Set<String>
            do {
                store = try ClientStore.inMemory()
                _ = try ClientImporter(store: store).importFile(at: suite.resolve(fixtures).path)
                known = Set(try store.listClients().map(\.id))
            } catch {
                throw StoreOpening.fail(error)
            }
            let issues = EvalSuiteLoader.checkClients(cases, known: known, fixtures: fixtures)
            guard issues.isEmpty else { throw fail(EvalSuiteError(code: .invalidDataset, issues: issues)) }
        } else {
            store = fallback
        }
        do {
            let ids = suite.fixtures != nil ? try store.listClients().map(\.id) : Array(Set(cases.compactMap(\.client))).sorted()
            let snapshots = try ids.compactMap { try store.snapshot(clientID: $0, activitiesSince: .distantPast) }
            return (store, EvalFactIndex(snapshots: snapshots))
        } catch {
            throw StoreOpening.fail(error)
        }
    }

    // MARK: - run

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a suite: every case × variant × repeat, stored as each finishes; exits 1 when the gate fails.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions

        @Argument(help: "The suite file (Evaluations/<suite>.yaml).")
        var suite: String

        @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
        var prompts: String?

        @Flag(help: "Continue the suite's last unfinished run (or --run-id), skipping what is stored.")
        var resume = false

        @Option(name: .customLong("run-id"), help: "The run id (new runs: generated; with --resume: the run to continue).")
        var runID: String?

        @Option(name: .customLong("report-dir"), help: "Write report.json, junit.xml and report.html into this folder.")
        var reportDir: String?

        @Option(help: "Response cache folder (replay of recorded answers; default .kam/eval-cache).")
        var cache: String = ".kam/eval-cache"

        @Flag(name: .customLong("no-cache"), help: "Call the models even for requests already recorded.")
        var noCache = false

        @Option(help: "Run only the first N cases.")
        var limit: Int?

        @Option(help: "Calls in flight at once (default: the suite's concurrency).")
        var concurrency: Int?

        @Flag(help: "Print the report as JSON instead of the table.")
        var json = false

        func run() async throws {
            var (suite, cases) = try EvalCommand.load(self.suite, limit: limit)
            if let concurrency { suite.concurrency = max(1, concurrency) }
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
            let templates = try EvalCommand.templates(suite, cases, registry: runtime.registry, use: true)
            let (fixtureStore, facts) = try EvalCommand.fixtures(suite, fallback: runtime.store, cases: cases)
            var targets: [EvalEngine.Target] = []
            var records: [EvalRunRepository.VariantRecord] = []
            let cacheDirectory = noCache ? nil : URL(fileURLWithPath: cache)
            var judgeProvider: (any ModelProvider)?
            var judgeModel = ""
            for (variant, template) in zip(suite.variants, templates) {
                let (runner, route, chain) = try makeRunner(runtime, variant: variant, promptID: suite.promptID, cache: cacheDirectory)
                if judgeProvider == nil { (judgeProvider, judgeModel) = (chain, route.primary.modelID) }
                let options = PromptRunner.Options(route: route)
                targets.append(EvalEngine.Target(variant: variant, template: template, runner: runner, options: options))
                records.append(
                    EvalRunRepository.VariantRecord(
                        name: variant.name, version: template.version, contentHash: template.contentHash,
                        model: route.primary.modelID, provider: route.primary.provider.name))
            }
            let judgeDefault = judgeProvider.map { EvalJudge(provider: $0, model: judgeModel) }
            let runtimeForJudges = runtime
            let engine = EvalEngine(
                suite: suite, cases: cases, targets: targets, memory: fixtureStore, facts: facts, counter: try runtime.tokenizer,
                now: Date(),
                judge: { provider, model in
                    guard provider != nil || model != nil else { return judgeDefault }
                    return try? Self.judge(runtimeForJudges, provider: provider, model: model)
                })
            let repository = EvalRunRepository(writer: runtime.store.writer)
            let runID = try startOrResume(repository, suite: suite, records: records)

            let reporter = ProgressReporter(total: engine.keys.count, interactive: isatty(2) == 1)
            let task = Task { try await engine.run(runID: runID, sink: repository) { reporter.update($0) } }
            let interrupts = InterruptHandler { task.cancel() }
            let outcome: EvalEngine.Outcome
            do {
                outcome = try await task.value
            } catch let error as EvalSuiteError {
                interrupts.stop()
                throw EvalCommand.fail(error)
            } catch {
                interrupts.stop()
                throw StoreOpening.fail(error)
            }
            interrupts.stop()
            reporter.finish()
            let results = try repository.results(runID: runID)
            let report = EvalReport(suite: suite, runID: runID, createdAt: Date(), caseIDs: cases.map(\.id), results: results)
            if let reportDir { try write(report, to: reportDir) }
            if outcome.cancelled {
                try repository.finish(runID: runID, report: nil, interrupted: true)
                StoreOpening.printError(
                    "kam: interrupted; \(results.count) of \(outcome.total) results are stored. Continue with "
                        + "`kam eval run \(self.suite) --resume --run-id \(runID)`")
                throw ExitCode(EvalCommand.interrupted)
            }
            try repository.finish(runID: runID, report: report, interrupted: false)
            print(json ? String(decoding: try report.jsonData(), as: UTF8.self) : EvalTableWriter.text(report))
            fflush(nil)
            if !report.gatePassed { throw ExitCode(EvalCommand.gateFailed) }
        }

        /// A new run, or the run to continue (its prompt versions must not have changed).
        func startOrResume(_ repository: EvalRunRepository, suite: EvalSuite, records: [EvalRunRepository.VariantRecord]) throws -> String {
            if resume {
                let run: EvalRunRepository.Run?
                if let runID { run = try repository.run(id: runID) } else { run = try repository.latestUnfinished(suite: suite.name) }
                guard let run else {
                    StoreOpening.printError(
                        "kam: no unfinished run of suite '\(suite.name)'\(runID.map { " with id \($0)" } ?? "") to resume; `kam eval list` shows the runs")
                    throw ExitCode(StoreOpening.notFound)
                }
                guard run.variants.map(\.contentHash) == records.map(\.contentHash), run.variants.map(\.model) == records.map(\.model) else {
                    StoreOpening.printError(
                        "kam: run \(run.id) compared other prompt versions or models than the suite now resolves to; start a new run instead of --resume")
                    throw ExitCode.failure
                }
                StoreOpening.printError("kam: resuming run \(run.id)")
                return run.id
            }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            let id = runID ?? "\(suite.name)-\(formatter.string(from: Date()))-\(UUID().uuidString.prefix(4).lowercased())"
            try repository.createRun(id: id, suite: suite, variants: records)
            return id
        }

        /// The runner for one variant: the variant's provider and model unless --provider/--model say
        /// otherwise, behind the replay cache, recording what the live chain answers.
        func makeRunner(_ runtime: AgentRuntime, variant: EvalVariant, promptID: String, cache: URL?) throws
            -> (PromptRunner, ModelRoute, any ModelProvider)
        {
            var overrides = config.overrides
            if overrides.provider == nil {
                overrides.provider = variant.provider
                if overrides.model == nil { overrides.model = variant.model }
            }
            let routed = try runtime.attempt {
                try runtime.runtime.runners.runner(forPrompt: promptID, overrides: overrides, replayCache: cache)
            }
            let judge = try runtime.attempt { try runtime.runtime.runners.unmeteredChain(overrides: overrides) }
            return (routed.runner, routed.route, judge.provider)
        }

        static func judge(_ runtime: AgentRuntime, provider: String?, model: String?) throws -> EvalJudge {
            let chain = try runtime.runtime.runners.unmeteredChain(
                overrides: ModelOverrides(provider: provider, model: model))
            return EvalJudge(provider: chain.provider, model: chain.model)
        }

        func write(_ report: EvalReport, to folder: String) throws {
            let directory = URL(fileURLWithPath: folder)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try report.jsonData().write(to: directory.appendingPathComponent("report.json"))
                try Data(EvalJUnitWriter.xml(report).utf8).write(to: directory.appendingPathComponent("junit.xml"))
                try Data(EvalHTMLWriter.html(report).utf8).write(to: directory.appendingPathComponent("report.html"))
            } catch {
                StoreOpening.printError("kam: cannot write the reports into \(folder): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            StoreOpening.printError("kam: wrote report.json, junit.xml and report.html to \(folder)")
        }
    }

    // MARK: - compare

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two stored runs variant by variant on their common cases; exits 1 on a regression.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The earlier run (e.g. the last good one).")
        var run1: String

        @Argument(help: "The later run.")
        var run2: String

        @Option(name: .customLong("max-drop"), help: "Largest pass-rate drop (0...1) tolerated before it counts as a regression.")
        var maxDrop: Double = 0.02

        func run() throws {
            let repository = EvalRunRepository(writer: try StoreOpening.open(global).writer)
            var tagged: [EvalResult] = []
            var variants: [String] = []
            for (index, id) in [run1, run2].enumerated() {
                guard try repository.run(id: id) != nil else {
                    StoreOpening.printError("kam: no eval run '\(id)'; `kam eval list` shows the runs")
                    throw ExitCode(StoreOpening.notFound)
                }
                for var result in try repository.results(runID: id) {
                    if index == 0, !variants.contains(result.variant) { variants.append(result.variant) }
                    result.variant = "\(index)\u{1}\(result.variant)"
                    tagged.append(result)
                }
            }
            var regressed = false
            for variant in variants {
                let comparison = EvalComparison(baseline: "0\u{1}\(variant)", candidate: "1\u{1}\(variant)", results: tagged)
                guard comparison.pairs > 0 else { continue }
                let before = EvalVariantSummary(variant: variant, results: tagged.filter { $0.variant == "0\u{1}\(variant)" })
                let after = EvalVariantSummary(variant: variant, results: tagged.filter { $0.variant == "1\u{1}\(variant)" })
                let drop = comparison.passRateDifference < -maxDrop
                let significant = comparison.passRateDifference < 0 && comparison.pValue < 0.05
                let verdict = drop || significant ? "REGRESSION" : "ok"
                if drop || significant { regressed = true }
                let rates = "pass rate \(EvalTableWriter.percent(before.passRate)) → \(EvalTableWriter.percent(after.passRate))"
                let change = String(format: "%+.1f pts", comparison.passRateDifference * 100)
                let pairs = "lost \(comparison.baselineOnly), gained \(comparison.candidateOnly), McNemar p = \(String(format: "%.3f", comparison.pValue))"
                let score = String(
                    format: "score %+.3f [%+.3f, %+.3f]", comparison.scoreDifference, comparison.scoreDifferenceLow,
                    comparison.scoreDifferenceHigh)
                let cost = "cost/case \(EvalTableWriter.dollars(before.costPerCaseDollars)) → \(EvalTableWriter.dollars(after.costPerCaseDollars))"
                print("\(variant): \(comparison.pairs) common cases; \(rates) (\(change), \(pairs)); \(score); \(cost): \(verdict)")
            }
            fflush(nil)
            if regressed { throw ExitCode(EvalCommand.gateFailed) }
        }
    }

    // MARK: - list

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored eval runs, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only runs of this suite.")
        var suite: String?

        func run() throws {
            let repository = EvalRunRepository(writer: try StoreOpening.open(global).writer)
            let runs = try repository.runs(suite: suite)
            if runs.isEmpty { print("no eval runs yet; `kam eval run Evaluations/<suite>.yaml` starts one") }
            for run in runs {
                let stored = try repository.storedKeys(runID: run.id).count
                let gate = run.gatePassed.map { $0 ? "gate passed" : "gate FAILED" } ?? run.status
                let variants = run.variants.map { "\($0.name)=v\($0.version)/\($0.model)" }.joined(separator: " ")
                print("\(run.id)\t\(run.suite)\t\(run.status)\t\(stored) results\t\(gate)\t\(variants)")
            }
            fflush(nil)
        }
    }

    // MARK: - check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a suite and its dataset without calling a model.",
            discussion: """
                Checks the suite's fields, that its dataset and fixtures files exist, every case (JSON, ids, \
                required inputs, days written YYYY-MM-DD that exist), that every case's client is a fixture \
                client, and that every variant's prompt version loads. Exits 13 with file:line for each problem.
                """)

        @Argument(help: "The suite file.")
        var suite: String

        @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
        var prompts: String?

        func run() throws {
            let (suite, cases) = try EvalCommand.load(self.suite)
            let registry = PromptRegistry(directory: PromptRegistry.resolveDirectory(explicit: prompts))
            let templates = try EvalCommand.templates(suite, cases, registry: registry, use: false)
            if suite.fixtures != nil {
                // Loads the fixture clients and checks that every case's client is one of them.
                let unused: ClientStore
                do { unused = try ClientStore.inMemory() } catch { throw StoreOpening.fail(error) }
                _ = try EvalCommand.fixtures(suite, fallback: unused, cases: cases)
            }
            print(
                "\(suite.name): \(cases.count) cases × \(templates.count) variants × \(suite.repeats) repeats, "
                    + "\(suite.assertions.count) assertions, \(suite.gate.count) gate conditions: ok")
            fflush(nil)
        }
    }

    // MARK: - promote --require-eval

    /// Refuses a promotion unless a complete run of `suite` passed its gate with this exact version.
    static func requirePassingRun(suite path: String, promptID: String, version: String, registry: PromptRegistry, global: GlobalOptions) throws {
        let suite: EvalSuite
        do {
            suite = try EvalSuiteLoader.load(path: path)
        } catch {
            throw fail(error)
        }
        let template = try PromptsCommand.run { () throws(PromptError) in
            try registry.load(PromptReference(promptID: promptID, selector: .version(version)))
        }
        let repository = EvalRunRepository(writer: try StoreOpening.open(global).writer)
        guard try repository.passingRun(suite: suite.name, promptID: promptID, contentHash: template.contentHash) != nil else {
            StoreOpening.printError(
                "kam: no complete run of suite '\(suite.name)' passed its gate with \(promptID)@\(version) "
                    + "(content \(template.contentHash.prefix(12))…); run `kam eval run \(path)` first")
            throw ExitCode(EvalCommand.gateFailed)
        }
    }
}

/// The progress of a run on stderr: a bar redrawn in place on a terminal, plain lines otherwise.
final class ProgressReporter: Sendable {
    let total: Int
    let interactive: Bool
    private let lastLine = Mutex<Int>(-1)

    init(total: Int, interactive: Bool) {
        self.total = total
        self.interactive = interactive
    }

    func update(_ progress: EvalEngine.Progress) {
        let line: String?
        if interactive {
            let width = 30
            let filled = total == 0 ? width : progress.done * width / total
            line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(progress.done)/\(total)"
                + (progress.alreadyStored > 0 ? " (\(progress.alreadyStored) stored)" : "")
                + " passed \(progress.passed)"
        } else {
            // About every 5 %, so CI logs stay short.
            let step = max(1, total / 20)
            let due = lastLine.withLock { last in
                guard progress.done == total || progress.done - last >= step else { return false }
                last = progress.done
                return true
            }
            line = due ? "eval: \(progress.done)/\(total) done, \(progress.passed) passed this session\n" : nil
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Ctrl-C cancels the run (what finished stays stored); a second Ctrl-C exits at once.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    /// How many times Ctrl-C was pressed.
    final class Presses: Sendable {
        let count = Mutex<Int>(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        let presses = Presses()
        source.setEventHandler {
            if presses.next() > 1 { exit(EvalCommand.interrupted) }
            FileHandle.standardError.write(Data("\nkam: stopping; results that finished are kept (Ctrl-C again to quit now)\n".utf8))
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
