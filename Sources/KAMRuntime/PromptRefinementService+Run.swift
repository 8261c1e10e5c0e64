import Foundation
import KAMCore
import KAMResources
import KAMStore

extension PromptRefinementService {
    /// Runs a plan: refuses it before any call when it is over its budget or call limit; else opens the run's budget,
    /// runs `from` on the suite, gathers the evidence, and for each round asks for proposals, writes each as the next
    /// version, evaluates it, and keeps the best that beats `from` (labelled `candidate`). Writes the report.
    ///
    /// - Parameter onEvent: one line a step, for a person watching.
    /// - Returns: the report (also written to `plan.reportJSON` and `plan.reportMarkdown`).
    /// - Throws: `RefinementRefusal` before any call; `EvalSuiteError`, `PromptError` or the store failing. A budget
    ///   that stops the run mid-way is not thrown: the report says where it stopped.
    public func run(_ plan: Plan, onEvent: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> RefinementReport
    {
        let request = plan.request
        if let refusal = plan.refusal {
            throw RefinementRefusal(message: refusal, projection: plan.projection)
        }
        var report = RefinementReport(
            runID: plan.runID, promptID: request.promptID, from: plan.from.version, suite: plan.suite.name,
            cases: plan.cases, budget: request.budget, maxCalls: request.maxCalls, projection: plan.projection)
        let budget = Budget(scope: .run(plan.runID), period: .total, amount: request.budget)
        try await runtime.ledger.setBudget(budget)
        let attribution = CallAttribution(runID: plan.runID)
        let baselineVariant = plan.suite.baseline

        // The evidence from the store, anonymized with one key for the run.
        let anonymizer = try Anonymizer(known: try runtime.anonymization.knownEntities())
        let session = AnonymizationSession.randomKey()
        let anonymize: (String) -> String = { anonymizer.anonymize($0, session: session).text }
        let repository = runtime.draftStore
        let lowRated = try repository.lowRated(
            DraftFilter(), promptID: request.promptID, since: nil, heavyEditRatio: LowRatedOutput.defaultHeavyEditRatio,
            limit: 500)
        let edits = try repository.editedBodies(decidedBy: nil, clientID: nil, promptID: request.promptID, limit: 500)

        onEvent("baseline: \(request.promptID)@\(plan.from.version) on \(plan.cases) cases")
        let baseline = try await evaluate(
            plan, version: plan.from.version, variant: baselineVariant, attribution: attribution)
        report.baselineRunID = baseline.runID
        report.baselinePassed = baseline.results.filter(\.passed).count
        var failing = baseline.results
        var selected = RefinementEvidence.select(lowRated: lowRated, edits: edits, results: failing, anonymize: anonymize)
        report.evidence = selected
        if let stop = Self.budgetStop(baseline.results) {
            report.stopped = stop
        }

        var base = plan.from
        var best: (version: String, comparison: EvalComparison, index: Int)?
        var written: [String] = []
        rounds: for round in 1...request.rounds where report.stopped == nil {
            // What the refinement prompt is shown, cut to its context budget; examples are picked from it alone. A later
            // round selects again from the cases the best proposal so far still fails.
            if round > 1 {
                selected = RefinementEvidence.select(lowRated: lowRated, edits: edits, results: failing, anonymize: anonymize)
            }
            let evidence = try fitted(selected, plan: plan)
            if round > 1 { report.evidence.failingCases = evidence.failingCases }
            let variables = try refinementVariables(base, evidence: evidence, examples: request.examples)
            for number in 1...request.proposals {
                onEvent("round \(round), proposal \(number): asking \(Self.refinePromptID)")
                var proposal = RefinementReport.Proposal(round: round, number: number, status: .failed)
                let revision: PromptRevision
                do {
                    let routed = try runtime.runners.runner(forPrompt: Self.refinePromptID)
                    revision = try await routed.runner.run(
                        plan.refine, variables: variables, as: PromptRevision.self,
                        options: PromptRunner.Options(route: routed.route), attribution: attribution
                    ).output
                } catch let error as BudgetError {
                    proposal.reason = "the run's budget stopped the refinement call: \(error.message)"
                    report.proposals.append(proposal)
                    report.stopped = proposal.reason
                    break rounds
                } catch let error as PromptRunError {
                    proposal.reason = "no valid proposal: \(error.code), \(error.attempts.count) attempts"
                    report.proposals.append(proposal)
                    continue
                } catch let error as ProviderError {
                    proposal.reason = "the refinement call failed: \(error)"
                    report.proposals.append(proposal)
                    continue
                }
                proposal.rationale = revision.rationale
                proposal.instructions = revision.instructions
                let examples = evidence.examples(picked: revision.examples, limit: request.examples)
                proposal.examples = examples.map(\.number)
                let version = try nextVersion(request.promptID)
                let changes = "refined from v\(plan.from.version) by kam prompts refine (\(plan.runID), round \(round), "
                    + "proposal \(number)); report: \(plan.reportMarkdown.path)"
                let original = try fileText(base)
                let made = RefinedTemplate.make(
                    from: original, template: base, version: version, instructions: revision.instructions,
                    examples: examples, changes: changes,
                    readSibling: { [source = runtime.registry.source, id = base.id] name in
                        (try? source.read(name, in: id)) ?? nil
                    })
                guard case .success(let refined) = made else {
                    if case .failure(let rejection) = made { proposal.reason = "\(rejection.code): \(rejection.reason)" }
                    proposal.status = .rejected
                    onEvent("  rejected: \(proposal.reason ?? "")")
                    report.proposals.append(proposal)
                    continue
                }
                let url = runtime.registry.fileURL(request.promptID, version)
                try Data(refined.text.utf8).write(to: url, options: .atomic)
                written.append(version)
                proposal.version = version
                onEvent("  wrote \(url.path); evaluating version \(version)")
                let evaluated = try await evaluate(plan, version: version, variant: baselineVariant, attribution: attribution)
                proposal.evalRunID = evaluated.runID
                proposal.passed = evaluated.results.filter(\.passed).count
                proposal.cases = evaluated.results.count
                if let stop = Self.budgetStop(evaluated.results) {
                    proposal.reason = "its evaluation did not finish: \(stop)"
                    report.proposals.append(proposal)
                    report.stopped = stop
                    break rounds
                }
                let comparison = Self.compare(baseline.results, evaluated.results)
                proposal.comparison = comparison
                let beats = RefinementVerdict.beats(comparison)
                proposal.status = .discarded
                proposal.reason = beats ? nil : "not better than version \(plan.from.version) by the paired statistics"
                onEvent("  version \(version): passed \(proposal.passed ?? 0) of \(proposal.cases ?? 0), "
                    + "\(comparison.candidateOnly) fixed, \(comparison.baselineOnly) broken, p \(String(format: "%.3f", comparison.pValue))")
                report.proposals.append(proposal)
                if beats, RefinementVerdict.winner([best?.comparison, comparison].compactMap { $0 }) == (best == nil ? 0 : 1) {
                    if let previous = best { report.proposals[previous.index].reason = "beaten by version \(version)" }
                    best = (version, comparison, report.proposals.count - 1)
                    base = refined.template
                    failing = evaluated.results
                } else if beats {
                    report.proposals[report.proposals.count - 1].reason = "beaten by version \(best?.version ?? "")"
                }
            }
            if best == nil { failing = baseline.results }
        }

        // Keep the best, remove every other proposal's file, label the best `candidate`.
        for version in written where version != best?.version {
            try? FileManager.default.removeItem(at: runtime.registry.fileURL(request.promptID, version))
        }
        if let best {
            report.proposals[best.index].status = .kept
            report.proposals[best.index].reason = "beat version \(plan.from.version); labelled candidate"
            _ = try runtime.promptCatalog.moveLabel(request.promptID, label: "candidate", to: best.version, as: .anonymous)
            report.winner = best.version
            onEvent("version \(best.version) labelled candidate")
        } else {
            onEvent("no proposal beat version \(plan.from.version); no label moved")
        }
        report.spent = (try? await runtime.ledger.status(id: budget.id).spent) ?? .zero
        try? await runtime.ledger.removeBudget(id: budget.id)
        try write(report, plan: plan)
        return report
    }

    /// The results of `version` on the plan's suite, run as `variant` with the run's attribution.
    func evaluate(_ plan: Plan, version: String, variant: String, attribution: CallAttribution) async throws
        -> (runID: String, results: [EvalResult])
    {
        var request = EvalService.RunRequest(suite: plan.request.suite, limit: plan.request.limit)
        request.versions = [variant: version]
        request.attribution = attribution
        let outcome = try await runtime.evals.run(request, as: .anonymous)
        return (outcome.report.runID, outcome.report.results)
    }

    /// `from`'s results against a proposal's on the same cases and repeats.
    static func compare(_ from: [EvalResult], _ proposal: [EvalResult]) -> EvalComparison {
        let tagged = from.map { result in
            var result = result
            result.variant = "from"
            return result
        } + proposal.map { result in
            var result = result
            result.variant = "proposal"
            return result
        }
        return EvalComparison(baseline: "from", candidate: "proposal", results: tagged)
    }

    /// Why the run's budget stopped an evaluation, when one of its cases was refused by it.
    static func budgetStop(_ results: [EvalResult]) -> String? {
        let refused = results.filter { $0.error?.contains(BudgetError.Code.exceeded.rawValue) == true }
        guard !refused.isEmpty else { return nil }
        return "the run's budget refused \(refused.count) of \(results.count) calls of an evaluation"
    }

    /// The refinement prompt's variables for revising `base`.
    func refinementVariables(_ base: PromptTemplate, evidence: RefinementEvidence, examples: Int) throws
        -> [String: JSONValue]
    {
        let system = base.blocks.filter { $0.role == .system }.map(\.template.source).joined(separator: "\n")
        let user = base.blocks.filter { $0.role != .system }.map { "\($0.role.rawValue):\n\($0.template.source)" }
            .joined(separator: "\n")
        let declared = base.inputs.map { "- \($0.name) (\($0.kind.rawValue)): \($0.description)" }.joined(separator: "\n")
        var variables: [String: JSONValue] = [
            "prompt_id": .string(base.id), "instructions": .string(system), "user_template": .string(user),
            "variables": .string(declared), "evidence": .string(evidence.promptText), "max_examples": .int(Int64(examples)),
        ]
        if let edits = evidence.editsText { variables["edits"] = .string(edits) }
        return variables
    }

    /// The evidence cut until it fits the refinement prompt's context budget: edits, then low-rated outputs, then
    /// failing cases are dropped from the end.
    func fitted(_ evidence: RefinementEvidence, plan: Plan) throws -> RefinementEvidence {
        let counter = try runtime.tokenizer()
        let budget = plan.refine.contextTokenBudget ?? 6_000
        var evidence = evidence
        while counter.countTokens(evidence.promptText + (evidence.editsText ?? "")) > budget {
            if !evidence.edits.isEmpty {
                evidence.edits.removeLast()
            } else if !evidence.lowRated.isEmpty {
                evidence.lowRated.removeLast()
            } else if !evidence.failingCases.isEmpty {
                evidence.failingCases.removeLast()
            } else {
                break
            }
        }
        return evidence
    }

    /// The next version number: past every version file and every version the ledger recorded (a removed
    /// proposal's number is never reused, since its first use fixed its content).
    func nextVersion(_ promptID: String) throws -> String {
        var next = (try runtime.registry.versions(of: promptID).compactMap { Int($0) }.max() ?? 0) + 1
        while let ledger = runtime.registry.ledger, (try? ledger.recordedHash(promptID: promptID, version: String(next))) != nil {
            next += 1
        }
        return String(next)
    }

    /// A version's file text.
    func fileText(_ template: PromptTemplate) throws -> String {
        guard let data = try runtime.registry.source.read(PromptRegistry.fileName(template.version), in: template.id) else {
            throw PromptError(code: .versionNotFound, message: "cannot read \(template.file)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes the report as JSON and Markdown.
    func write(_ report: RefinementReport, plan: Plan) throws {
        try FileManager.default.createDirectory(
            at: plan.reportJSON.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(report).write(to: plan.reportJSON, options: .atomic)
        try Data(report.markdown.utf8).write(to: plan.reportMarkdown, options: .atomic)
    }
}
