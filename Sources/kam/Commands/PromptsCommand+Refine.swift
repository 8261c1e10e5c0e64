import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

extension PromptsCommand {
    /// `kam prompts refine ID --suite EVAL.yaml --budget USD`: proposals from the evidence, evaluated against `from`.
    struct Refine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose revised versions of a prompt from its feedback and failing cases; keep the best as candidate.",
            discussion: """
                Gathers the prompt's low-rated outputs and their reasons, its approved edits (anonymized) and the \
                cases of the suite that version FROM fails (FROM is run on the suite first). The shipped prompt \
                prompt.refine proposes revised instructions with up to --examples approved edits as examples; each \
                proposal is written as the next version file (a plain .prompty) and evaluated against FROM with the \
                paired statistics. The best proposal that beats FROM (more cases passed, McNemar p < 0.05 or the \
                score difference's 95% interval above zero) keeps its file and gets the `candidate` label; no \
                proposal is ever promoted to production. Every other proposal's file is removed (it stays in the \
                report). The report is written as JSON and Markdown to --report-dir.

                Before any call the projected calls and worst-case cost are printed (baseline cases + proposals + \
                proposals x cases, each with its repair attempts, + judge calls). Over --budget or --max-calls the \
                command exits 22 without calling anything. While it runs, the run's own budget in the ledger \
                (run:ID) refuses any call that would exceed --budget.

                Example: kam prompts refine draft.follow-up-email --suite Evaluations/follow-up-email.yaml --budget 0.50
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @OptionGroup var folder: PromptFolder

        @Argument(help: "The prompt to refine.")
        var id: String

        @Option(help: "The version to refine and to beat (default: the production label's).")
        var from: String?

        @Option(help: "The evaluation suite of the prompt (Evaluations/<suite>.yaml).")
        var suite: String

        @Option(help: "The most the whole run may spend, in dollars (e.g. 0.50; 0 for a model priced at 0).")
        var budget: String

        @Option(name: .customLong("max-calls"), help: "The most model calls, every repair attempt included.")
        var maxCalls: Int?

        @Option(help: "Rounds; each later round refines the best so far from its failing cases.")
        var rounds: Int = 1

        @Option(help: "Proposals a round.")
        var proposals: Int = 2

        @Option(help: "The most approved edits a proposal shows as examples.")
        var examples: Int = 3

        @Option(help: "Only the first N cases of the suite.")
        var limit: Int?

        @Option(name: .customLong("report-dir"), help: "Where the report goes (<run>.json and <run>.md).")
        var reportDir: String = "refinements"

        @Flag(help: "Print the projection and stop.")
        var dryRun = false

        func validate() throws {
            guard Money(dollars: budget) != nil else { throw ValidationError("--budget must be dollars, like 0.50") }
            guard rounds >= 1, proposals >= 1, examples >= 0 else {
                throw ValidationError("--rounds and --proposals must be at least 1, --examples at least 0")
            }
            if let maxCalls, maxCalls < 1 { throw ValidationError("--max-calls must be at least 1") }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config, prompts: folder.prompts)
            let refinement = runtime.runtime.refinement
            let request = PromptRefinementService.Request(
                promptID: id, from: from, suite: suite, limit: limit, budget: Money(dollars: budget)!,
                maxCalls: maxCalls, rounds: rounds, proposals: proposals, examples: examples,
                reportDirectory: URL(fileURLWithPath: reportDir))
            let plan = try runtime.attempt { try refinement.plan(request) }
            Self.print(plan)
            if dryRun { return }
            let report = try await runtime.attempt {
                try await refinement.run(plan) { line in
                    Swift.print(line)
                    fflush(nil)
                }
            }
            Swift.print(report.winner.map { "winner: version \($0) (label candidate)" } ?? "winner: none")
            if let stopped = report.stopped { Swift.print("stopped: \(stopped)") }
            Swift.print("spent \(report.spent) of \(report.budget)")
            Swift.print("report: \(plan.reportMarkdown.path) and \(plan.reportJSON.path)")
            fflush(nil)
        }

        static func print(_ plan: PromptRefinementService.Plan) {
            let projection = plan.projection
            Swift.print("refine \(plan.from.reference) on \(plan.suite.name) (\(plan.cases) cases), run \(plan.runID)")
            Swift.print("projected calls (worst case, before any call):")
            for line in projection.lines {
                Swift.print(
                    "  \(String(line.calls).leftPadded(5)) \(line.name.padding(toLength: 16, withPad: " ", startingAt: 0))"
                        + " x\(line.attemptsPerCall) attempts  \(line.model)  in \(line.inputTokens) out \(line.maxOutputTokens)"
                        + "  \(line.worstCase.map { "\($0)" } ?? "no price")")
            }
            Swift.print(
                "  total \(projection.calls) calls (\(projection.worstCaseCalls) at worst), up to "
                    + "\(projection.worstCase.map { "\($0)" } ?? "an unknown cost"); budget \(plan.request.budget)"
                    + (plan.request.maxCalls.map { ", max \($0) calls" } ?? ""))
            fflush(nil)
        }
    }
}
