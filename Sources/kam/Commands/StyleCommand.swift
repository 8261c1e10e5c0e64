import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam style show USER|CLIENT [--json]`: the writing style learned from approved edits (`StyleProfile`), the
/// section the draft prompts get.
struct StyleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "style",
        abstract: "The writing style learned from the edits people approve.",
        subcommands: [Show.self], defaultSubcommand: Show.self)

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
                if try UserRepository(store: runtime.runtime.store).account(id: subject) != nil {
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
}
