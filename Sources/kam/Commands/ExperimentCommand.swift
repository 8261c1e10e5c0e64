import ArgumentParser
import Foundation
import KAMCore
import KAMResources
import KAMStore

/// `kam experiment`: online A/B experiments on a prompt. While one runs, each client's drafts use
/// its sticky variant; `status` tallies what people did with the drafts per variant.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Online prompt experiments: start, status, stop, promote.",
        subcommands: [Start.self, Status.self, Stop.self, Promote.self])

    static func fail(_ error: any Error) -> ExitCode {
        if let error = error as? ExperimentError {
            StoreOpening.printError("kam: \(error.message)")
            return error.code == .notFound ? ExitCode(StoreOpening.notFound) : ExitCode.failure
        }
        return StoreOpening.fail(error)
    }

    static func find(_ id: String, in repository: ExperimentRepository) throws -> Experiment {
        do {
            guard let experiment = try repository.experiment(id: id) else {
                throw ExperimentError(code: .notFound, message: "no experiment '\(id)'; `kam experiment status` lists them")
            }
            return experiment
        } catch {
            throw fail(error)
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start an experiment: drafts of the prompt use each client's sticky variant.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var folder: PromptsCommand.Folder

        @Argument(help: "The experiment id.")
        var id: String

        @Option(help: "The prompt id (e.g. draft.follow-up-email).")
        var prompt: String

        @Option(help: "Versions or labels to compare, comma-separated (e.g. 1,2 or production,candidate).")
        var variants: String

        @Option(help: "Percent of clients per variant (e.g. 50/50; default even).")
        var split: String?

        func run() throws {
            let parsed: (variants: [String], split: [Int])
            switch Experiment.parse(variants: variants, split: split) {
            case .success(let value): parsed = value
            case .failure(let error): throw ExperimentCommand.fail(error)
            }
            let registry = PromptRegistry(directory: folder.url)
            let experiment = Experiment(id: id, promptID: prompt, variants: parsed.variants, split: parsed.split, startedAt: Date())
            for variant in parsed.variants {
                _ = try PromptsCommand.run { () throws(PromptError) in try registry.load(experiment.reference(for: variant)) }
            }
            do {
                try ExperimentRepository(writer: try StoreOpening.open(global).writer).start(experiment)
            } catch {
                throw ExperimentCommand.fail(error)
            }
            print("experiment \(id) running on \(prompt): " + zip(parsed.variants, parsed.split).map { "\($0) \($1)%" }.joined(separator: ", "))
            fflush(nil)
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Outcomes per variant: approved unedited, edited, rejected, feedback, with statistics.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The experiment id (default: every experiment).")
        var id: String?

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let repository = ExperimentRepository(writer: try StoreOpening.open(global).writer)
            let experiments: [Experiment]
            if let id {
                experiments = [try ExperimentCommand.find(id, in: repository)]
            } else {
                experiments = try repository.list()
                if experiments.isEmpty { print("no experiments; `kam experiment start ID --prompt P --variants A,B` starts one") }
            }
            for experiment in experiments {
                let tally = ExperimentTally(variants: experiment.variants, outcomes: try repository.outcomes(experimentID: experiment.id))
                if json {
                    print(try StoreOpening.json(tally))
                    continue
                }
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
            fflush(nil)
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop an experiment: new drafts use the production label again.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The experiment id.")
        var id: String

        func run() throws {
            let repository = ExperimentRepository(writer: try StoreOpening.open(global).writer)
            var experiment = try ExperimentCommand.find(id, in: repository)
            guard experiment.status == .running else {
                throw ExperimentCommand.fail(ExperimentError(code: .notRunning, message: "experiment '\(id)' is already \(experiment.status.rawValue)"))
            }
            experiment.status = .stopped
            experiment.stoppedAt = Date()
            try repository.save(experiment)
            print("experiment \(id) stopped")
            fflush(nil)
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an experiment by pointing a label (production) at the winning variant.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var folder: PromptsCommand.Folder

        @Argument(help: "The experiment id.")
        var id: String

        @Option(help: "The winning variant.")
        var variant: String

        @Option(help: "The label to move.")
        var label: String = "production"

        func run() throws {
            let repository = ExperimentRepository(writer: try StoreOpening.open(global).writer)
            var experiment = try ExperimentCommand.find(id, in: repository)
            guard experiment.variants.contains(variant) else {
                throw ExperimentCommand.fail(
                    ExperimentError(code: .invalid, message: "'\(variant)' is not a variant of \(id); variants: \(experiment.variants.joined(separator: ", "))"))
            }
            let registry = PromptRegistry(directory: folder.url)
            let version = try PromptsCommand.run { () throws(PromptError) in try registry.resolve(experiment.reference(for: variant)) }
            _ = try PromptsCommand.run { () throws(PromptError) in
                try registry.promote(promptID: experiment.promptID, version: version, label: label)
            }
            experiment.status = .promoted
            experiment.winner = variant
            experiment.stoppedAt = experiment.stoppedAt ?? Date()
            try repository.save(experiment)
            print("experiment \(id) ended: \(experiment.promptID) \(label) → \(version) (variant \(variant))")
            fflush(nil)
        }
    }
}
