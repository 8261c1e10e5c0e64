import ArgumentParser
import Foundation
import KAMStore

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
        let store = try StoreOpening.open(global)
        let target = try StoreOpening.resolve(client, in: store)
        do {
            let item = try store.forget(clientID: target.id, key: key)
            print("Forgot '\(item.key)' for \(target.name) (\(target.id)): \(item.value)")
        } catch {
            throw StoreOpening.fail(error)
        }
        fflush(nil)
    }
}
