import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam feedback DRAFT --up|--down [--reason]`: a person's verdict on a draft, for evaluation and training;
/// `kam feedback list --low`: the drafts people rated low, by prompt version.
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Give a draft a thumbs up or down; list the drafts people rated low.",
        subcommands: [Give.self, List.self], defaultSubcommand: Give.self)

    struct Give: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "give", abstract: "Give a draft a thumbs up or down, with a reason (`kam feedback DRAFT --up`).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var draft: String
        @Flag(help: "Thumbs up.") var up = false
        @Flag(help: "Thumbs down.") var down = false
        @Option(help: "Why.") var reason: String?

        func validate() throws {
            guard up != down else { throw ValidationError("give exactly one of --up or --down") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt {
                try runtime.runtime.drafts.addFeedback(draft, rating: up ? .up : .down, reason: reason, as: runtime.user)
            }
            print("feedback \(up ? "up" : "down") recorded on \(draft)")
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The drafts people rated low (thumbs down, rejected, heavily edited), by prompt version.",
            discussion: """
                A draft is low-rated when it got a thumbs down, was rejected, or was approved only after a person \
                changed at least --edit-ratio of its text (edit distance over the longer text). Each prompt version \
                lists its drafts newest first with the reasons given, after the reasons' most frequent words.
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only low-rated drafts (the only list there is; kept explicit for scripts).") var low = false
        @Option(help: "Only this prompt's drafts (e.g. draft.follow-up-email).") var prompt: String?
        @Option(help: "Only drafts written on or after this day (YYYY-MM-DD or an ISO-8601 time).") var since: DayArgument?
        @Option(help: "The share of the text changed that makes an approval a heavy edit (0...1).")
        var editRatio = LowRatedOutput.defaultHeavyEditRatio
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard low else { throw ValidationError("give --low: `kam feedback list --low` lists the low-rated drafts") }
            guard (0...1).contains(editRatio) else { throw ValidationError("--edit-ratio must be between 0 and 1") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let groups = try runtime.attempt {
                try runtime.runtime.drafts.lowRated(
                    promptID: prompt, since: since?.date, heavyEditRatio: editRatio, as: runtime.user)
            }
            if json {
                print(try Terminal.json(groups))
                return
            }
            guard !groups.isEmpty else {
                print("no low-rated drafts" + (prompt.map { " of \($0)" } ?? ""))
                return
            }
            for group in groups {
                print(
                    "\(group.promptID)@\(group.promptVersion): \(group.outputs.count) low-rated "
                        + "(\(group.thumbsDown) thumbs down, \(group.rejected) rejected, \(group.heavyEdits) heavily edited)")
                if !group.reasonWords.isEmpty {
                    print("  reasons' words: " + group.reasonWords.map { "\($0.word) \($0.count)" }.joined(separator: ", "))
                }
                for output in group.outputs {
                    let ratio = output.editRatio.map { String(format: " edit %.0f%%", $0 * 100) } ?? ""
                    print(
                        "  \(output.draftID)  \(Terminal.day(output.at))  \(output.clientID)  \(output.kind.rawValue)  "
                            + output.signals.map(\.rawValue).joined(separator: ",") + ratio)
                    for reason in output.reasons { print("      \"\(reason)\"") }
                }
            }
        }
    }
}
