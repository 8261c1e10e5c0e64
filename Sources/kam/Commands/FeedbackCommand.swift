import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam feedback DRAFT --up|--down [--reason]`: a person's verdict on a draft, for evaluation and training.
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "Give a draft a thumbs up or down, with a reason.")

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
