import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam experiment`: online A/B experiments on a prompt. While one runs, each client's drafts use
/// its sticky variant; `status` tallies what people did with the drafts per variant.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Online prompt experiments: start, status, stop, promote.",
        subcommands: [Start.self, Status.self, Stop.self, Promote.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start an experiment: drafts of the prompt use each client's sticky variant.")

        @OptionGroup var global: GlobalOptions
        /// The runtime takes a prompt folder together with these; they change nothing here, so they stay out of the help.
        @OptionGroup var folder: PromptFolder

        @Argument(help: "The experiment id.")
        var id: String

        @Option(help: "The prompt id (e.g. draft.follow-up-email).")
        var prompt: String

        @Option(help: "Versions or labels to compare, comma-separated (e.g. 1,2 or production,candidate).")
        var variants: String

        @Option(help: "Percent of clients per variant (e.g. 50/50; default even).")
        var split: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, prompts: folder.prompts)
            let plan = ExperimentService.Plan(id: id, promptID: prompt, variants: variants, split: split)
            let experiment = try runtime.attempt { try runtime.runtime.experiments.start(plan, as: runtime.user) }
            print(
                "experiment \(id) running on \(prompt): "
                    + zip(experiment.variants, experiment.split).map { "\($0) \($1)%" }.joined(separator: ", "))
            fflush(nil)
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Outcomes per variant: approved unedited, edited, rejected, feedback, with statistics.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The experiment id (default: every experiment).")
        var id: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let experiments = runtime.runtime.experiments
            let reports = try runtime.attempt { try id.map { [try experiments.report($0)] } ?? experiments.reports() }
            if id == nil && reports.isEmpty {
                print("no experiments; `kam experiment start ID --prompt P --variants A,B` starts one")
            }
            for report in reports {
                if json {
                    print(try Terminal.json(report.tally))
                } else {
                    Self.printReport(report)
                }
            }
            fflush(nil)
        }

        static func printReport(_ report: ExperimentService.Report) {
            let experiment = report.experiment
            let tally = report.tally
            print("\(experiment.id) on \(experiment.promptID): \(experiment.status.rawValue)" + (experiment.winner.map { ", promoted \($0)" } ?? ""))
            for v in tally.variants {
                let share = experiment.split[experiment.variants.firstIndex(of: v.variant) ?? 0]
                print(
                    "  \(v.variant) (\(share)%): \(v.drafts) drafts for \(v.clients) clients; approved unedited \(v.approvedUnedited), "
                        + "edited \(v.approvedEdited)\(v.meanEditDistance.map { String(format: " (mean edit distance %.1f)", $0) } ?? ""), "
                        + "rejected \(v.rejected), pending \(v.pending); thumbs \(v.thumbsUp)↑ \(v.thumbsDown)↓; acceptance "
                        + "\(EvalTableWriter.percent(v.acceptance)) [\(EvalTableWriter.percent(v.acceptanceLow))–\(EvalTableWriter.percent(v.acceptanceHigh))]")
            }
            if let difference = tally.acceptanceDifference, let p = tally.pValue {
                print(
                    "  \(experiment.variants[1]) − \(experiment.variants[0]): \(String(format: "%+.1f", difference * 100)) pts, p = \(String(format: "%.3f", p))"
                        + (tally.draftsNeededPerVariant.map { "; about \($0) decided drafts per variant needed to detect it" } ?? ""))
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an experiment: new drafts use the production label again.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The experiment id.")
        var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.experiments.stop(id, as: runtime.user) }
            print("experiment \(id) stopped")
            fflush(nil)
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an experiment by pointing a label (production) at the winning variant.")

        @OptionGroup var global: GlobalOptions
        /// The runtime takes a prompt folder together with these; they change nothing here, so they stay out of the help.
        @OptionGroup var folder: PromptFolder

        @Argument(help: "The experiment id.")
        var id: String

        @Option(help: "The winning variant.")
        var variant: String

        @Option(help: "The label to move.")
        var label: String = "production"

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, prompts: folder.prompts)
            let promotion = try runtime.attempt {
                try runtime.runtime.experiments.promote(id, variant: variant, label: label, as: runtime.user)
            }
            print("experiment \(id) ended: \(promotion.experiment.promptID) \(label) → \(promotion.version) (variant \(variant))")
            fflush(nil)
        }
    }
}
