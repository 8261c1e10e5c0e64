import Foundation
import KAMCore
import KAMResources
import KAMStore

/// `kam prompts refine`: proposes revised versions of a prompt from its evidence (low-rated outputs, approved edits,
/// the suite's failing cases), writes each as a plain version file, evaluates it against `from` on the suite with
/// the paired statistics, keeps the best only when it beats `from` and labels it `candidate`, never `production`.
///
/// Before any call `plan` projects the calls and their worst-case cost; `run` refuses a plan over the budget or the
/// call limit, and then holds every call (the refinement prompt's and the suite's) against the run's own budget in
/// the ledger (`run:ID`, `total`), so it cannot spend more than `--budget`. A proposal that does not win has its file
/// removed and stays in the report; a rejected one (undeclared variable, broken template) never gets a file.
///
/// For example:
/// ```swift
/// let refinement = runtime.refinement
/// let plan = try refinement.plan(.init(promptID: "draft.follow-up-email", suite: "Evaluations/follow-up-email.yaml",
///                                      budget: Money(dollars: "0.50")!))
/// print(plan.projection.worstCase!)                       // $0.31…
/// let report = try await refinement.run(plan)             // throws RefinementRefusal when over the budget
/// print(report.winner ?? "none won")
/// ```
public struct PromptRefinementService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// The id of the shipped refinement prompt.
    public static let refinePromptID = "prompt.refine"

    /// What to refine and how much it may spend.
    public struct Request: Sendable {
        public var promptID: String
        /// The version to refine and to beat; nil: the `production` label's.
        public var from: String?
        /// The suite file (`Evaluations/<suite>.yaml`) whose prompt is `promptID`.
        public var suite: String
        /// Only the first `limit` cases of the suite.
        public var limit: Int?
        /// The most the run may spend, every call included.
        public var budget: Money
        /// The most calls the run may make, every repair attempt included.
        public var maxCalls: Int?
        public var rounds: Int
        /// Proposals a round.
        public var proposals: Int
        /// The most approved edits a proposal shows as examples.
        public var examples: Int
        /// Where the report goes (`<run>.json`, `<run>.md`).
        public var reportDirectory: URL

        public init(
            promptID: String, from: String? = nil, suite: String, limit: Int? = nil, budget: Money, maxCalls: Int? = nil,
            rounds: Int = 1, proposals: Int = 2, examples: Int = 3,
            reportDirectory: URL = URL(fileURLWithPath: "refinements")
        ) {
            self.promptID = promptID
            self.from = from
            self.suite = suite
            self.limit = limit
            self.budget = budget
            self.maxCalls = maxCalls
            self.rounds = max(1, rounds)
            self.proposals = max(1, proposals)
            self.examples = max(0, examples)
            self.reportDirectory = reportDirectory
        }
    }

    /// A refinement ready to run: what it refines, on which cases, and its projection. No call has been made.
    public struct Plan: Sendable {
        public var request: Request
        public var runID: String
        public var from: PromptTemplate
        public var refine: PromptTemplate
        public var suite: EvalSuite
        public var cases: Int
        public var projection: RefinementProjection
        /// Why the run would be refused, nil when it fits its budget and call limit.
        public var refusal: String?
        /// The report files the run writes.
        public var reportJSON: URL
        public var reportMarkdown: URL
    }

    // MARK: - Plan

    /// Loads the prompt, the suite and the refinement prompt and projects the run's calls and worst-case cost.
    ///
    /// - Throws: `PromptError` for an unknown prompt or version; `EvalSuiteError` for an invalid suite or one of
    ///   another prompt; `ConfigurationError` for an unknown provider or model.
    public func plan(_ request: Request) throws -> Plan {
        let registry = runtime.registry
        let selector: PromptReference.Selector = request.from.map { .version($0) } ?? .label(PromptRegistry.defaultLabel)
        let from = try registry.load(PromptReference(promptID: request.promptID, selector: selector))
        let (suite, cases) = try EvalService.load(request.suite, limit: request.limit)
        guard suite.promptID == request.promptID else {
            throw EvalSuiteError(
                code: .invalidSuite, file: request.suite, field: "prompt",
                message: "suite '\(suite.name)' evaluates \(suite.promptID), not \(request.promptID); give a suite of the prompt you refine")
        }
        let refine = try refinementTemplate()
        let counter = try runtime.tokenizer()
        let evalRoute = try runtime.runners.configuration.route(
            forPrompt: request.promptID, overrides: overrides(for: suite))
        let refineRoute = try runtime.runners.configuration.route(forPrompt: Self.refinePromptID, overrides: runtime.runners.overrides)
        let fileText = (try? registry.source.read(PromptRegistry.fileName(from.version), in: from.id)).flatMap { $0 }
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let runs = cases.count * suite.repeats
        let evalInput = counter.countTokens(fileText) + (from.contextTokenBudget ?? 4_000) + 300
        let limits = RefinementEvidence.Limits()
        let proposalInput = evalInput + 4_000 + request.examples * limits.textCharacters
        let proposals = request.rounds * request.proposals
        let judges = suite.assertions.filter { if case .judge = $0.kind { true } else { false } }.count
        let evalOutput = from.model.maxOutputTokens ?? 4_096
        var lines = [
            RefinementProjection.Line(
                name: "baseline cases", calls: runs, attemptsPerCall: 1 + from.repairAttempts,
                model: evalRoute.primary.modelID, provider: evalRoute.primary.provider.name, inputTokens: evalInput,
                maxOutputTokens: evalOutput),
            RefinementProjection.Line(
                name: "proposals", calls: proposals, attemptsPerCall: 1 + refine.repairAttempts,
                model: refineRoute.primary.modelID, provider: refineRoute.primary.provider.name,
                inputTokens: counter.countTokens(refine.blocks.map(\.template.source).joined()) + (refine.contextTokenBudget ?? 6_000),
                maxOutputTokens: refine.model.maxOutputTokens ?? 4_096),
            RefinementProjection.Line(
                name: "proposal cases", calls: proposals * runs, attemptsPerCall: 1 + from.repairAttempts,
                model: evalRoute.primary.modelID, provider: evalRoute.primary.provider.name, inputTokens: proposalInput,
                maxOutputTokens: evalOutput),
        ]
        if judges > 0 {
            lines.append(
                RefinementProjection.Line(
                    name: "judge calls", calls: (1 + proposals) * runs * judges, attemptsPerCall: 1,
                    model: evalRoute.primary.modelID, provider: evalRoute.primary.provider.name,
                    inputTokens: 1_000 + evalOutput, maxOutputTokens: 400))
        }
        let projection = RefinementProjection(lines: lines, prices: runtime.ledger.prices)
        let runID = newRunID(promptID: request.promptID)
        return Plan(
            request: request, runID: runID, from: from, refine: refine, suite: suite, cases: cases.count,
            projection: projection, refusal: projection.refusal(budget: request.budget, maxCalls: request.maxCalls),
            reportJSON: request.reportDirectory.appendingPathComponent("\(runID).json"),
            reportMarkdown: request.reportDirectory.appendingPathComponent("\(runID).md"))
    }

    /// The refinement prompt of the prompt folder, else the shipped one (a folder made before it shipped).
    func refinementTemplate() throws -> PromptTemplate {
        let reference = PromptReference(promptID: Self.refinePromptID, selector: .label(PromptRegistry.defaultLabel))
        if (try? runtime.registry.promptIDs().contains(Self.refinePromptID)) == true {
            return try runtime.registry.use(reference)
        }
        guard let shipped = PromptRegistry.bundledDirectory else { return try runtime.registry.use(reference) }
        return try PromptRegistry(directory: shipped).load(reference)
    }

    /// The model overrides the suite's baseline variant runs with (as `EvalService.prepare` picks them).
    func overrides(for suite: EvalSuite) -> ModelOverrides {
        var overrides = runtime.runners.overrides
        if overrides.provider == nil, let variant = suite.variants.first(where: { $0.name == suite.baseline }) {
            overrides.provider = variant.provider
            if overrides.model == nil { overrides.model = variant.model }
        }
        return overrides
    }

    /// `refine-<prompt>-yyyyMMdd-HHmmss-xxxx`.
    private func newRunID(promptID: String) -> String { EvalService.stampedID("refine-\(promptID)", runtime: runtime) }
}
