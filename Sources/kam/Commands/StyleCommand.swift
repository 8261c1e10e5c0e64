import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam style show USER|CLIENT [--json]`: the writing style learned from approved edits (`StyleProfile`), the
/// section the draft prompts get.
struct StyleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "style",
        abstract: "The writing style learned from the edits people approve.",
        subcommands: [Show.self, Evaluate.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A user's or a client's style: length change, greeting, sign-off, formality, phrases added and removed.",
            discussion: """
                Learned from the drafts approved after an edit (at least \(StyleProfile.minimumExamples)), each \
                trait with the number of examples behind it. A draft gets its writer's profile and its client's as \
                context sections, fenced as data.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "A user id, or a client (id or name).") var subject: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let style = runtime.runtime.style
            let profile = try runtime.attempt { () throws -> StyleProfile? in
                if (try? runtime.runtime.users.account(subject)) != nil {
                    return try style.profile(ofUser: subject, as: runtime.user)
                }
                return try style.profile(ofClient: try runtime.client(subject).id, as: runtime.user)
            }
            guard let profile else {
                print(
                    "\(subject): fewer than \(StyleProfile.minimumExamples) approved edits, so no style yet "
                        + "(approve drafts after editing them: `kam draft edit`, `kam draft approve`)")
                return
            }
            if json {
                print(try Terminal.json(profile))
            } else {
                print(profile.section, terminator: "")
            }
            fflush(nil)
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Whether a writer's profile brings new drafts closer to what they approve, on their own held-out edits.",
            discussion: """
                For each writer with enough approved edits: the profile is learned from the older two thirds, and each \
                held-out draft is written again (same client, kind and hint) without and with it through the \
                configured provider; the figure is the mean normalized edit distance to the approved text (lower is \
                closer). The offline provider shows the mechanics; a model gives the real figure. Nothing is stored; \
                the calls are metered.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Option(name: .customLong("writer"), help: "Only this writer (repeatable).") var writers: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let results = try await runtime.attempt {
                try await runtime.runtime.style.evaluate(writers: writers.isEmpty ? nil : writers, as: runtime.user)
            }
            if json {
                print(try Terminal.json(results))
            } else if results.isEmpty {
                print(
                    "no writer has \(StyleProfile.minimumExamples + 1) or more approved edits yet "
                        + "(\(StyleProfile.minimumExamples) to learn from and one to hold out)")
            } else {
                for r in results {
                    print(
                        "\(r.writer): \(r.training) edits learned, \(r.heldOut) held out (\(r.provider) \(r.model)): "
                            + "edit distance to the approved text \(Self.format(r.distanceWithout)) without the profile, "
                            + "\(Self.format(r.distanceWith)) with it")
                }
            }
            fflush(nil)
        }

        static func format(_ x: Double) -> String { String(format: "%.3f", x) }
    }
}
