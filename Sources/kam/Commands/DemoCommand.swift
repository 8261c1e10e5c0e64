import ArgumentParser
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the database with realistic demo accounts and show what KAM does with them."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        print("demo: \(global.databasePath)")
    }
}
