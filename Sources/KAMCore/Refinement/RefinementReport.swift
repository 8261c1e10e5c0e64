import Foundation

/// What a prompt refinement did, written beside the run as JSON and Markdown (`kam prompts refine`): the projection,
/// the evidence, each proposal with its paired comparison against `from`, and the winner or why there is none.
public struct RefinementReport: Codable, Sendable, Hashable {
    /// One proposal of a round.
    public struct Proposal: Codable, Sendable, Hashable {
        public enum Status: String, Codable, Sendable, Hashable {
            /// Labelled `candidate`: it beat `from`.
            case kept
            /// Evaluated and not better than `from`, or beaten by another proposal; its file was removed.
            case discarded
            /// The revision broke the template or used an undeclared variable; no file was written.
            case rejected
            /// The refinement call or the evaluation did not finish (no valid answer, a budget stop).
            case failed
        }

        public var round: Int
        public var number: Int
        public var status: Status
        /// The version file it was written as (removed unless kept).
        public var version: String?
        public var reason: String?
        public var rationale: String
        public var instructions: String
        /// The numbers of the approved edits shown as examples.
        public var examples: [Int]
        public var evalRunID: String?
        public var passed: Int?
        public var cases: Int?
        public var comparison: EvalComparison?

        public init(round: Int, number: Int, status: Status, rationale: String = "", instructions: String = "") {
            self.round = round
            self.number = number
            self.status = status
            self.rationale = rationale
            self.instructions = instructions
            self.examples = []
        }
    }

    public var runID: String
    public var promptID: String
    public var from: String
    public var suite: String
    public var cases: Int
    public var budget: Money
    public var maxCalls: Int?
    public var projection: RefinementProjection
    /// What the run's budget recorded as spent.
    public var spent: Money
    public var evidence: RefinementEvidence
    public var baselineRunID: String?
    public var baselinePassed: Int?
    public var proposals: [Proposal]
    /// The version labelled `candidate`, nil when none beat `from`.
    public var winner: String?
    /// Why the run stopped early (the budget), nil when it ran to the end.
    public var stopped: String?

    public init(
        runID: String, promptID: String, from: String, suite: String, cases: Int, budget: Money, maxCalls: Int?,
        projection: RefinementProjection
    ) {
        self.runID = runID
        self.promptID = promptID
        self.from = from
        self.suite = suite
        self.cases = cases
        self.budget = budget
        self.maxCalls = maxCalls
        self.projection = projection
        self.spent = .zero
        self.evidence = RefinementEvidence()
        self.proposals = []
    }

    /// The report for a person: the outcome first, then the projection, the evidence and each proposal.
    public var markdown: String {
        var out = "# Refinement \(runID)\n\n"
        out += "`\(promptID)` from version \(from) on suite `\(suite)` (\(cases) cases).\n\n"
        if let winner {
            out += "**Outcome:** version \(winner) beat version \(from) and is labelled `candidate` (not promoted).\n\n"
        } else {
            out += "**Outcome:** no proposal beat version \(from); no label was moved.\n\n"
        }
        if let stopped { out += "**Stopped early:** \(stopped)\n\n" }
        out += "Budget \(budget)\(maxCalls.map { ", at most \($0) calls" } ?? ""); spent \(spent).\n\n"
        out += "## Projection (worst case, before any call)\n\n| calls | attempts each | model | input tokens | output tokens | worst case |\n|---|---|---|---|---|---|\n"
        for line in projection.lines {
            out += "| \(line.calls) \(line.name) | \(line.attemptsPerCall) | \(line.model) | \(line.inputTokens) | "
                + "\(line.maxOutputTokens) | \(line.worstCase.map { "\($0)" } ?? "no price") |\n"
        }
        out += "\n\(projection.calls) calls, \(projection.worstCaseCalls) at worst, up to "
            + "\(projection.worstCase.map { "\($0)" } ?? "an unknown cost").\n\n"
        out += "## Evidence (anonymized)\n\n"
        out += "\(evidence.lowRated.count) low-rated outputs, \(evidence.edits.count) approved edits, "
            + "\(evidence.failingCases.count) failing cases of version \(from)"
        if let baselinePassed { out += " (it passed \(baselinePassed) of \(cases))" }
        out += ".\n\n"
        for item in evidence.failingCases.prefix(10) {
            out += "- `\(item.caseID)`: \(item.failures.joined(separator: "; "))\n"
        }
        out += "\n## Proposals\n\n"
        if proposals.isEmpty { out += "None were made.\n" }
        for proposal in proposals {
            out += "### Round \(proposal.round), proposal \(proposal.number): \(proposal.status.rawValue)"
            if let version = proposal.version { out += " (version \(version))" }
            out += "\n\n"
            if let reason = proposal.reason { out += "\(reason)\n\n" }
            if let comparison = proposal.comparison, let passed = proposal.passed, let cases = proposal.cases {
                out += "Passed \(passed) of \(cases); against version \(from): \(comparison.candidateOnly) cases fixed, "
                    + "\(comparison.baselineOnly) broken of \(comparison.pairs) pairs, pass rate "
                    + String(format: "%+.3f", comparison.passRateDifference) + ", McNemar p "
                    + String(format: "%.3f", comparison.pValue) + ", score difference "
                    + String(format: "%+.3f [%+.3f, %+.3f]", comparison.scoreDifference, comparison.scoreDifferenceLow,
                        comparison.scoreDifferenceHigh) + ".\n\n"
            }
            if !proposal.rationale.isEmpty { out += "Rationale: \(proposal.rationale)\n\n" }
            if !proposal.examples.isEmpty {
                out += "Examples: approved edits \(proposal.examples.map(String.init).joined(separator: ", ")).\n\n"
            }
            if !proposal.instructions.isEmpty {
                out += "```text\n\(proposal.instructions)\n```\n\n"
            }
        }
        return out
    }
}
