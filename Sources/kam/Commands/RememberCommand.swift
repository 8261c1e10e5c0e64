import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam remember CLIENT TEXT`: keeps a fact or preference about a client for every future draft.
struct RememberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remember",
        abstract: "Remember a fact or preference about a client (same key again replaces it).",
        discussion: "Example: kam remember acme \"prefers Tuesday morning calls\" --kind preference"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Client id, name, external id, contact email or domain.")
    var client: String

    @Argument(help: "What to remember, in a sentence.")
    var text: String

    @Option(help: "A short stable key (default: made from the text, e.g. prefers-tuesday-morning-calls).")
    var key: String?

    @Option(help: "fact or preference.")
    var kind: String = "fact"

    @Option(help: "Where it came from (default: user).")
    var source: String = "user"

    func run() async throws {
        guard let memoryKind = MemoryKind(rawValue: kind.lowercased()) else {
            throw ValidationError("--kind must be fact or preference, not '\(kind)'")
        }
        let runtime = try await AgentRuntime.open(global)
        let (target, remembered) = try runtime.attempt {
            let target = try runtime.client(client)
            return (target, try runtime.runtime.memory.remember(
                clientID: target.id, text: text, key: key, kind: memoryKind, source: source, as: runtime.user))
        }
        let item = remembered.item
        print("\(remembered.created ? "Remembered" : "Updated") \(item.kind.rawValue) '\(item.key)' for \(target.name) (\(target.id)): \(item.value)")
        fflush(nil)
    }
}
