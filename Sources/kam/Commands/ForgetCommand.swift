import ArgumentParser
import Foundation
import KAMRuntime

/// `kam forget CLIENT KEY`: removes a remembered fact or preference.
struct ForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Forget a remembered fact or preference of a client, by key."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Client id, name, external id, contact email or domain.")
    var client: String

    @Argument(help: "The memory key (`kam clients show CLIENT` lists them).")
    var key: String

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let (target, item) = try runtime.attempt {
            let target = try runtime.client(client)
            return (target, try runtime.runtime.memory.forget(clientID: target.id, key: key, as: runtime.user))
        }
        print("Forgot '\(item.key)' for \(target.name) (\(target.id)): \(item.value)")
        fflush(nil)
    }
}
