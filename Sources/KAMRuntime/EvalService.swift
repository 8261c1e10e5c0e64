import Foundation
import KAMCore
import KAMResources
import KAMStore

/// Offline evaluations: run a suite (every case × prompt version × repeat, stored as each finishes,
/// resumable, answers replayed from a cache), check a suite without a model, compare and list stored
/// runs, and the promotion gate (a version is promoted only after a complete run passed with it).
///
/// For example:
/// ```swift
/// let outcome = try await runtime.evals.run(
///     EvalService.RunRequest(suite: "Evaluations/inbound-email.yaml"), as: .anonymous)
/// print(outcome.report.gatePassed)
/// ```
public struct EvalService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A run to start or continue.
    public struct RunRequest: Sendable {
        /// The suite file (`Evaluations/<suite>.yaml`).
        public var suite: String
        /// Only the first `limit` cases.
        public var limit: Int?
        /// Calls in flight at once; nil: the suite's.
        public var concurrency: Int?
        /// Continue `runID`, or the suite's last unfinished run, skipping what is stored.
        public var resume: Bool
        /// The run's id: a new run's (nil: generated), or the run to resume.
        public var runID: String?
        /// The replay cache answered first, recording what the live chain answers; nil calls the models.
        public var cache: URL?
        /// The suite's candidate variant evaluates the version this label names (the nightly evaluation's
        /// `candidate`), whatever version the suite names.
        public var candidateLabel: String?
        /// Only these variants run, each evaluating the version given (variant name → version): a refinement's `from`
        /// version and its proposals, run one at a time against the same cases.
        var versions: [String: String] = [:]
        /// Whom the run's calls are for besides their client and prompt: a refinement's run, whose budget holds them.
        var attribution = CallAttribution()

        public init(
            suite: String, limit: Int? = nil, concurrency: Int? = nil, resume: Bool = false, runID: String? = nil,
            cache: URL? = nil, candidateLabel: String? = nil
        ) {
            self.suite = suite
            self.limit = limit
            self.concurrency = concurrency
            self.resume = resume
            self.runID = runID
            self.cache = cache
            self.candidateLabel = candidateLabel
        }
    }

    /// A run ready to execute: its stored row exists, its runners are built.
    public struct PreparedRun: Sendable {
        public let runID: String
        /// True when the run continues an earlier, unfinished one.
        public let resumed: Bool
        public let suite: EvalSuite
        /// Results the run will hold when complete (cases × variants × repeats).
        public var total: Int { engine.keys.count }
        let cases: [EvalCase]
        let engine: EvalEngine
    }

    /// How a run ended.
    public struct RunOutcome: Sendable {
        /// The report over every result stored for the run.
        public var report: EvalReport
        /// True when the run was cancelled before every case finished (it can be resumed).
        public var interrupted: Bool
        /// Results the complete run holds.
        public var total: Int
    }

    /// A stored run and how many results it holds.
    public struct RunListing: Sendable {
        public var run: EvalRunRepository.Run
        public var storedResults: Int
    }

    /// One variant of two runs compared on their common cases.
    public struct VariantComparison: Codable, Sendable, Hashable {
        public var variant: String
        public var comparison: EvalComparison
        public var before: EvalVariantSummary
        public var after: EvalVariantSummary
        /// The pass rate dropped more than allowed, or dropped significantly (McNemar p < 0.05).
        public var regressed: Bool
    }

    /// What `check` found in a valid suite.
    public struct SuiteCheck: Codable, Sendable, Hashable {
        public var suite: String
        public var cases: Int
        public var variants: Int
        public var repeats: Int
        public var assertions: Int
        public var gateConditions: Int
    }

    var repository: any EvalRunStoring { runtime.evalRuns }

    // MARK: - Run

    /// Runs a suite from start to end: `prepare`, then `execute`.
    public func run(
        _ request: RunRequest, as user: ActingUser, onProgress: @escaping @Sendable (EvalEngine.Progress) -> Void = { _ in }
    ) async throws -> RunOutcome {
        try await execute(try prepare(request, as: user), onProgress: onProgress)
    }

    /// Loads and checks the suite, builds one runner a variant (its provider and model unless this
    /// invocation's overrides say otherwise, behind the replay cache) and creates or finds the stored run.
    ///
    /// - Parameter user: who starts the run (eval calls are not attributed to a user or a budget owner).
    /// - Throws: `EvalSuiteError` for an invalid suite or dataset; `RuntimeError` `eval.run-not-found`
    ///   (nothing to resume) or `eval.resume-mismatch` (the suite now resolves to other versions or models);
    ///   `ConfigurationError` for an unknown provider or model.
    public func prepare(_ request: RunRequest, as user: ActingUser) throws -> PreparedRun {
        var (suite, cases) = try Self.load(request.suite, limit: request.limit)
        if let label = request.candidateLabel, let index = suite.variants.firstIndex(where: { $0.name == suite.candidate }) {
            suite.variants[index].selector = .label(label)
        }
        if !request.versions.isEmpty {
            suite.variants = suite.variants.compactMap { variant in
                guard let version = request.versions[variant.name] else { return nil }
                var variant = variant
                variant.selector = .version(version)
                return variant
            }
        }
        if let concurrency = request.concurrency { suite.concurrency = max(1, concurrency) }
        let templates = try Self.templates(suite, cases, registry: runtime.registry, use: true)
        let (fixtures, facts) = try Self.fixtures(suite, fallback: runtime.clientMemory, cases: cases)
        var targets: [EvalEngine.Target] = []
        var records: [EvalRunRepository.VariantRecord] = []
        var defaultJudge: EvalJudge?
        for (variant, template) in zip(suite.variants, templates) {
            var overrides = runtime.runners.overrides
            if overrides.provider == nil {
                overrides.provider = variant.provider
                if overrides.model == nil { overrides.model = variant.model }
            }
            let routed = try runtime.runners.runner(forPrompt: suite.promptID, overrides: overrides, replayCache: request.cache)
            if defaultJudge == nil {
                defaultJudge = try runtime.runners.judge(overrides: overrides, attribution: request.attribution)
            }
            targets.append(
                EvalEngine.Target(
                    variant: variant, template: template, runner: routed.runner,
                    options: PromptRunner.Options(route: routed.route)))
            records.append(
                EvalRunRepository.VariantRecord(
                    name: variant.name, version: template.version, contentHash: template.contentHash,
                    model: routed.route.primary.modelID, provider: routed.route.primary.provider.name))
        }
        let runners = runtime.runners
        let attribution = request.attribution
        var engine = EvalEngine(
            suite: suite, cases: cases, targets: targets, memory: fixtures, facts: facts,
            counter: try runtime.tokenizer(), now: runtime.now(),
            judge: { [defaultJudge] provider, model in
                guard provider != nil || model != nil else { return defaultJudge }
                return try? runners.judge(overrides: ModelOverrides(provider: provider, model: model), attribution: attribution)
            })
        engine.attribution = request.attribution
        let (runID, resumed) = try startOrResume(request, suite: suite, records: records)
        return PreparedRun(runID: runID, resumed: resumed, suite: suite, cases: cases, engine: engine)
    }

    /// Runs what `run` does not hold yet, each result stored as it finishes, and stores the report.
    ///
    /// Cancel the task that calls this to stop: what finished stays stored, the run is marked
    /// interrupted and `interrupted` is true.
    /// - Throws: `EvalSuiteError` when a case names a client the fixtures lack; the store failing.
    public func execute(_ run: PreparedRun, onProgress: @escaping @Sendable (EvalEngine.Progress) -> Void = { _ in })
        async throws -> RunOutcome
    {
        let repository = self.repository
        let outcome = try await run.engine.run(runID: run.runID, sink: repository, onProgress: onProgress)
        let results = try repository.results(runID: run.runID)
        let report = EvalReport(
            suite: run.suite, runID: run.runID, createdAt: runtime.now(), caseIDs: run.cases.map(\.id), results: results)
        try repository.finish(runID: run.runID, report: outcome.cancelled ? nil : report, interrupted: outcome.cancelled)
        return RunOutcome(report: report, interrupted: outcome.cancelled, total: outcome.total)
    }

    /// A new run's id and row, or the run to continue (its prompt versions and models must not have changed).
    private func startOrResume(_ request: RunRequest, suite: EvalSuite, records: [EvalRunRepository.VariantRecord])
        throws -> (id: String, resumed: Bool)
    {
        if request.resume {
            let run = try request.runID.map { try repository.run(id: $0) } ?? repository.latestUnfinished(suite: suite.name)
            guard let run else {
                throw RuntimeError(
                    .notFound, code: "eval.run-not-found",
                    "no unfinished run of suite '\(suite.name)'\(request.runID.map { " with id \($0)" } ?? "") to resume; "
                        + "`kam eval list` shows the runs")
            }
            guard run.variants.map(\.contentHash) == records.map(\.contentHash), run.variants.map(\.model) == records.map(\.model)
            else {
                throw RuntimeError(
                    .wrongState, code: "eval.resume-mismatch",
                    "run \(run.id) compared other prompt versions or models than the suite now resolves to; "
                        + "start a new run instead of --resume")
            }
            return (run.id, true)
        }
        let id = request.runID ?? newRunID(suite: suite.name)
        try repository.createRun(id: id, suite: suite, variants: records)
        return (id, false)
    }

    /// `<suite>-yyyyMMdd-HHmmss-xxxx`: sortable by start, unique by four hex digits of a fresh id.
    private func newRunID(suite: String) -> String { Self.stampedID(suite, runtime: runtime) }

    /// `<prefix>-yyyyMMdd-HHmmss-xxxx` at the runtime's now: an evaluation's or a refinement's run id.
    static func stampedID(_ prefix: String, runtime: Runtime) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "\(prefix)-\(formatter.string(from: runtime.now()))-\(runtime.ids.make(.experiment).suffix(4))"
    }

    // MARK: - Compare, list, gate

    /// Compares two stored runs variant by variant on their common cases.
    ///
    /// - Parameter maxDrop: the largest pass-rate drop (0...1) tolerated before it counts as a regression.
    /// - Throws: `RuntimeError` `eval.run-not-found`.
    public func compare(_ earlier: String, _ later: String, maxDrop: Double = 0.02) throws -> [VariantComparison] {
        var tagged: [EvalResult] = []
        var variants: [String] = []
        for (index, id) in [earlier, later].enumerated() {
            guard try repository.run(id: id) != nil else {
                throw RuntimeError(.notFound, code: "eval.run-not-found", "no eval run '\(id)'; `kam eval list` shows the runs")
            }
            for var result in try repository.results(runID: id) {
                if index == 0, !variants.contains(result.variant) { variants.append(result.variant) }
                result.variant = "\(index)\u{1}\(result.variant)"
                tagged.append(result)
            }
        }
        return variants.compactMap { variant in
            let comparison = EvalComparison(baseline: "0\u{1}\(variant)", candidate: "1\u{1}\(variant)", results: tagged)
            guard comparison.pairs > 0 else { return nil }
            let before = EvalVariantSummary(variant: variant, results: tagged.filter { $0.variant == "0\u{1}\(variant)" })
            let after = EvalVariantSummary(variant: variant, results: tagged.filter { $0.variant == "1\u{1}\(variant)" })
            let drop = comparison.passRateDifference < -maxDrop
            let significant = comparison.passRateDifference < 0 && comparison.pValue < 0.05
            return VariantComparison(
                variant: variant, comparison: comparison, before: before, after: after, regressed: drop || significant)
        }
    }

    /// Stored runs, newest first, with how many results each holds.
    public func runs(suite: String? = nil) throws -> [RunListing] {
        try repository.runs(suite: suite, limit: 50).map { RunListing(run: $0, storedResults: try repository.storedKeys(runID: $0.id).count) }
    }

    /// The complete run of the suite at `path` that passed its gate with exactly `template` (its content
    /// hash): the check before a promotion (`kam prompts promote --require-eval`).
    /// - Throws: `EvalSuiteError` for an unreadable suite; `RuntimeError` `eval.no-passing-run`.
    @discardableResult
    public func requirePassingRun(suite path: String, template: PromptTemplate) throws -> EvalRunRepository.Run {
        let suite = try EvalSuiteLoader.load(path: path)
        guard let run = try repository.passingRun(suite: suite.name, promptID: template.id, contentHash: template.contentHash)
        else {
            throw RuntimeError(
                .gateFailed, code: "eval.no-passing-run",
                "no complete run of suite '\(suite.name)' passed its gate with \(template.id)@\(template.version) "
                    + "(content \(template.contentHash.prefix(12))…); run `kam eval run \(path)` first")
        }
        return run
    }

    // MARK: - Check (no runtime: no database, no configuration)

    /// Checks a suite and its dataset without calling a model: the suite's fields, that its files exist,
    /// every case, that every case's client is a fixture client, and that every variant's version loads.
    ///
    /// Static because it needs no store and no configuration: a check in CI opens no database.
    /// - Throws: `EvalSuiteError` with file:line for each problem.
    public static func check(suite path: String, promptsDirectory: String?) throws -> SuiteCheck {
        let (suite, cases) = try load(path)
        let registry = PromptRegistry(directory: PromptRegistry.resolveDirectory(explicit: promptsDirectory))
        let templates = try templates(suite, cases, registry: registry, use: false)
        if suite.fixtures != nil {
            // Loads the fixture clients and checks that every case's client is one of them.
            _ = try fixtures(suite, fallback: try ClientStore.inMemory(), cases: cases)
        }
        return SuiteCheck(
            suite: suite.name, cases: cases.count, variants: templates.count, repeats: suite.repeats,
            assertions: suite.assertions.count, gateConditions: suite.gate.count)
    }

    // MARK: - Suites

    /// The suite and its cases, every problem reported with file:line.
    static func load(_ path: String, limit: Int? = nil) throws(EvalSuiteError) -> (EvalSuite, [EvalCase]) {
        let suite = try EvalSuiteLoader.load(path: path)
        var cases = try EvalSuiteLoader.loadCases(path: suite.resolve(suite.dataset).path)
        if let limit { cases = Array(cases.prefix(limit)) }
        return (suite, cases)
    }

    /// Each variant's template, checked against the cases (a case missing a required input is an error).
    static func templates(_ suite: EvalSuite, _ cases: [EvalCase], registry: PromptRegistry, use: Bool) throws
        -> [PromptTemplate]
    {
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
        guard issues.isEmpty else { throw EvalSuiteError(code: .invalidDataset, issues: issues) }
        return templates
    }

    /// Fixture clients in a fresh in-memory store (else `fallback`), and the facts each one owns.
    ///
    /// The fixtures are scratch data: they go into a SQLite store in memory whatever the runtime's database is.
    static func fixtures(_ suite: EvalSuite, fallback: any ClientMemoryReading, cases: [EvalCase]) throws
        -> (any ClientMemoryReading, EvalFactIndex)
    {
        let store: any ClientMemoryReading
        let ids: [String]
        if let fixtures = suite.fixtures {
            let scratch = try ClientStore.inMemory()
            _ = try ClientImporter(store: scratch).importFile(at: suite.resolve(fixtures).path)
            ids = try scratch.listClients().map(\.id)
            let issues = EvalSuiteLoader.checkClients(cases, known: Set(ids), fixtures: fixtures)
            guard issues.isEmpty else { throw EvalSuiteError(code: .invalidDataset, issues: issues) }
            store = scratch
        } else {
            (store, ids) = (fallback, Array(Set(cases.compactMap(\.client))).sorted())
        }
        let snapshots = try ids.compactMap { try store.snapshot(clientID: $0, activitiesSince: .distantPast) }
        return (store, EvalFactIndex(snapshots: snapshots))
    }
}
