import Foundation

/// Runs a suite: every case × variant × repeat through the agent loop, checked by the assertions,
/// each result handed to the sink as soon as it is known.
///
/// Concurrency is a task group holding at most `suite.concurrency` calls; provider rate limits apply
/// underneath (the rate limiter lives in the provider chain). Cancelling the task that runs `run`
/// stops new calls and abandons those in flight; everything that finished is already in the sink, and
/// a resumed run (same run id) skips it, so no case is lost or repeated.
public struct EvalEngine: Sendable {
    /// One variant ready to run: its prompt version, the runner that calls its model, and the call options.
    public struct Target: Sendable {
        public var variant: EvalVariant
        public var template: PromptTemplate
        public var runner: PromptRunner
        public var options: PromptRunner.Options

        public init(variant: EvalVariant, template: PromptTemplate, runner: PromptRunner, options: PromptRunner.Options) {
            self.variant = variant
            self.template = template
            self.runner = runner
            self.options = options
        }
    }

    /// How far a run is.
    public struct Progress: Sendable {
        public var total: Int
        public var done: Int
        public var passed: Int
        public var alreadyStored: Int
        public var last: EvalResult?
    }

    /// How a run ended.
    public struct Outcome: Sendable, Hashable {
        public var total: Int
        /// Results found in the sink from an earlier attempt, not run again.
        public var alreadyStored: Int
        /// Results run and stored now.
        public var ran: Int
        /// True when the run was stopped before every case finished.
        public var cancelled: Bool
    }

    public var suite: EvalSuite
    public var cases: [EvalCase]
    public var targets: [Target]
    /// Fixture clients; nil when no case names a client.
    public var memory: (any ClientMemoryReading)?
    public var facts: EvalFactIndex
    public var counter: any TokenCounting
    /// The day contexts are assembled for (the suite's `now`, else the caller's).
    public var now: Date
    /// The judge for `llm-judge` assertions, by the assertion's provider and model (nil: the default judge).
    public var judge: (@Sendable (_ provider: String?, _ model: String?) -> EvalJudge?)?
    /// Whom every call is for besides its client and prompt: a refinement's run, so its budget holds the calls.
    public var attribution = CallAttribution()

    public init(
        suite: EvalSuite, cases: [EvalCase], targets: [Target], memory: (any ClientMemoryReading)? = nil,
        facts: EvalFactIndex = EvalFactIndex(), counter: any TokenCounting, now: Date,
        judge: (@Sendable (_ provider: String?, _ model: String?) -> EvalJudge?)? = nil
    ) {
        self.suite = suite
        self.cases = cases
        self.targets = targets
        self.memory = memory
        self.facts = facts
        self.counter = counter
        self.now = suite.now ?? now
        self.judge = judge
    }

    struct Job: Sendable {
        var evalCase: EvalCase
        var target: Target
        var repeatIndex: Int
        /// The client's context variables, or a refusal reason.
        var variables: [String: JSONValue]
        var refusal: String?
    }

    /// Every key the suite produces, in a stable order (case, then variant, then repeat).
    public var keys: [EvalResultKey] {
        cases.flatMap { item in
            targets.flatMap { target in
                (0..<suite.repeats).map { EvalResultKey(caseID: item.id, variant: target.variant.name, repeatIndex: $0) }
            }
        }
    }

    /// Runs what is not yet in the sink for `runID`.
    ///
    /// - Throws: `EvalSuiteError` when a case names a client the fixtures do not have; what the sink throws.
    ///   Model failures are results (failed cases), not throws.
    public func run(
        runID: String, sink: any EvalResultSink, onProgress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Outcome {
        let stored = try await sink.completedKeys(runID: runID)
        let jobs = try makeJobs().filter {
            !stored.contains(EvalResultKey(caseID: $0.evalCase.id, variant: $0.target.variant.name, repeatIndex: $0.repeatIndex))
        }
        let total = keys.count
        let alreadyStored = total - jobs.count
        var progress = Progress(total: total, done: alreadyStored, passed: 0, alreadyStored: alreadyStored, last: nil)
        onProgress(progress)
        var ran = 0
        let width = max(1, suite.concurrency)
        try await withThrowingTaskGroup(of: EvalResult?.self) { group in
            var iterator = jobs.makeIterator()
            for _ in 0..<width {
                guard let job = iterator.next() else { break }
                group.addTask { await execute(job, runID: runID) }
            }
            while let finished = try await group.next() {
                if let result = finished {
                    try await sink.record(result)
                    ran += 1
                    progress.done += 1
                    if result.passed { progress.passed += 1 }
                    progress.last = result
                    onProgress(progress)
                }
                if !Task.isCancelled, let job = iterator.next() {
                    group.addTask { await execute(job, runID: runID) }
                }
            }
        }
        return Outcome(total: total, alreadyStored: alreadyStored, ran: ran, cancelled: alreadyStored + ran < total)
    }

    func makeJobs() throws -> [Job] {
        var contexts: [String: (variables: [String: JSONValue], refusal: String?)] = [:]
        var jobs: [Job] = []
        for item in cases {
            for target in targets {
                var variables: [String: JSONValue] = [:]
                var refusal: String?
                if let client = item.client {
                    let budget = target.template.contextTokenBudget
                    let key = "\(client)#\(budget ?? -1)"
                    if contexts[key] == nil { contexts[key] = try context(client: client, budget: budget, evalCase: item) }
                    variables = contexts[key]!.variables
                    refusal = contexts[key]!.refusal
                }
                for (name, value) in item.variables { variables[name] = value }
                let declared = Set(target.template.inputs.map(\.name))
                // A template sees only what its front matter declares, as in DraftGenerator.
                variables = variables.filter { declared.contains($0.key) }
                for index in 0..<suite.repeats {
                    jobs.append(Job(evalCase: item, target: target, repeatIndex: index, variables: variables, refusal: refusal))
                }
            }
        }
        return jobs
    }

    func context(client: String, budget: Int?, evalCase: EvalCase) throws -> (variables: [String: JSONValue], refusal: String?) {
        guard let memory else {
            throw EvalSuiteError(
                code: .invalidDataset, file: evalCase.location, field: "client",
                message: "case '\(evalCase.id)' names client '\(client)' but the suite has no fixtures; add `fixtures:` to the suite")
        }
        let assembler = ContextAssembler(tokenCounter: counter, options: ContextAssemblyOptions(tokenBudget: budget))
        let result = try assembler.assemble(clientID: client, from: memory, now: now)
        guard let context = result.context else {
            throw EvalSuiteError(
                code: .invalidDataset, file: evalCase.location, field: "client",
                message: "case '\(evalCase.id)': \((try? result.get()).map { _ in "" } ?? "no fixture client '\(client)' (or its profile does not fit the context budget); check the fixtures file")")
        }
        let snapshot = try memory.snapshot(clientID: client, activitiesSince: now)
        let refusal = snapshot?.client.consentAIAnalysis == false ? "\(context.clientName) has not consented to AI analysis" : nil
        return (context.variables, refusal)
    }

    /// One case for one variant; nil when the run was cancelled before it finished.
    func execute(_ job: Job, runID: String) async -> EvalResult? {
        let item = job.evalCase
        let target = job.target
        func result(
            passed: Bool, score: Double, assertions: [EvalAssertionOutcome], output: String?, error: String?,
            refused: Bool = false, provider: String = "", model: String = "", attempts: Int = 0, usage: Usage = .zero,
            cost: Int64? = 0, latency: Double = 0, metrics: [String: Double] = [:]
        ) -> EvalResult {
            EvalResult(
                runID: runID, caseID: item.id, variant: target.variant.name, repeatIndex: job.repeatIndex, passed: passed,
                score: score, assertions: assertions, output: output, error: error, refused: refused,
                promptVersion: target.template.version, provider: provider, model: model, attempts: attempts,
                inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costPicodollars: cost,
                latencyMilliseconds: latency, metrics: metrics, tags: item.tags)
        }
        if let refusal = job.refusal {
            let ok = item.expectsRefusal
            let outcome = EvalAssertionOutcome(name: "refusal", passed: ok, weight: 1, detail: "refused: \(refusal)")
            return result(passed: ok, score: ok ? 1 : 0, assertions: [outcome], output: nil, error: nil, refused: true)
        }
        var attribution = self.attribution
        attribution.clientID = item.client
        attribution.promptID = target.template.id
        let subject: EvalSubject
        let provider: String
        let model: String
        let attempts: Int
        let usage: Usage
        var failure: String?
        var failureCodes: [String] = []
        do {
            let run = try await target.runner.run(
                target.template, variables: job.variables, as: JSONValue.self, options: target.options,
                attribution: attribution)
            subject = EvalSubject(
                output: run.output, rawText: run.rawText, schemaValid: true, costPicodollars: run.cost.money?.picodollars,
                latencyMilliseconds: Self.milliseconds(run.latency), evalCase: item, facts: facts)
            (provider, model, attempts, usage) = (run.provider, run.model, run.attempts.count, run.usage)
            failureCodes = run.attempts.compactMap(\.failureCode)
        } catch let error as PromptRunError {
            failureCodes = error.attempts.compactMap(\.failureCode)
            let cost = error.attempts.dropFirst().reduce(error.attempts.first?.cost ?? .known(.zero)) { $0 + $1.cost }
            let latency = error.attempts.reduce(Duration.zero) { $0 + $1.latency }
            subject = EvalSubject(
                output: try? JSONValue.parse(error.lastOutput), rawText: error.lastOutput, schemaValid: false,
                schemaIssues: error.issues.map(\.description), costPicodollars: cost.money?.picodollars,
                latencyMilliseconds: Self.milliseconds(latency), evalCase: item, facts: facts)
            provider = error.attempts.last?.provider ?? ""
            model = error.attempts.last?.model ?? ""
            attempts = error.attempts.count
            usage = error.usage
            failure = "\(error.code): no valid answer in \(error.attempts.count) attempts (\(failureCodes.joined(separator: ", ")))"
        } catch {
            if Task.isCancelled || error is CancellationError || (error as? ProviderError)?.code == .cancelled { return nil }
            let outcomes = suite.assertions.map { EvalAssertionOutcome(name: $0.name, passed: false, weight: $0.weight, detail: "no answer") }
            return result(passed: false, score: 0, assertions: outcomes, output: nil, error: "\(error)", cost: nil)
        }
        var outcomes: [EvalAssertionOutcome] = []
        var metrics: [String: Double] = [:]
        // Runaway and cut-off attempts, counted per variant in the reports (gate names `attempts_degenerate`, ...).
        for (code, metric) in EvalVariantSummary.attemptFailureMetrics {
            let count = failureCodes.filter { $0 == code }.count
            if count > 0 { metrics[metric] = Double(count) }
        }
        for assertion in suite.assertions {
            if case .judge(let rubric, let threshold, let judgeProvider, let judgeModel) = assertion.kind {
                outcomes.append(
                    await judgeOutcome(assertion, rubric: rubric, threshold: threshold, judge: judge?(judgeProvider, judgeModel), subject: subject, variables: job.variables))
                continue
            }
            outcomes.append(assertion.check(subject))
            for (key, value) in assertion.metrics(subject) { metrics[key, default: 0] += value }
        }
        if item.expectsRefusal {
            outcomes.append(EvalAssertionOutcome(name: "refusal", passed: false, weight: 1, detail: "expected a refusal; the model was called"))
        }
        let totalWeight = outcomes.reduce(0) { $0 + $1.weight }
        let passedWeight = outcomes.filter(\.passed).reduce(0) { $0 + $1.weight }
        let score = totalWeight > 0 ? passedWeight / totalWeight : (failure == nil ? 1 : 0)
        let passed = failure == nil && outcomes.allSatisfy(\.passed)
        return result(
            passed: passed, score: score, assertions: outcomes, output: subject.rawText, error: failure, provider: provider,
            model: model, attempts: attempts, usage: usage, cost: subject.costPicodollars,
            latency: subject.latencyMilliseconds, metrics: metrics)
    }

    func judgeOutcome(
        _ assertion: EvalAssertion, rubric: String, threshold: Double, judge: EvalJudge?, subject: EvalSubject,
        variables: [String: JSONValue]
    ) async -> EvalAssertionOutcome {
        guard let judge else {
            return EvalAssertionOutcome(name: assertion.name, passed: false, weight: assertion.weight, detail: "no judge configured")
        }
        do {
            let verdict = try await judge.grade(rubric: rubric, input: variables, output: subject.rawText)
            let raw = verdict.score >= threshold
            return EvalAssertionOutcome(
                name: assertion.name, passed: assertion.negate ? !raw : raw, weight: assertion.weight,
                detail: String(format: "judge %.2f (threshold %.2f): ", verdict.score, threshold) + verdict.reason)
        } catch {
            return EvalAssertionOutcome(name: assertion.name, passed: false, weight: assertion.weight, detail: "judge failed: \(error)")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
