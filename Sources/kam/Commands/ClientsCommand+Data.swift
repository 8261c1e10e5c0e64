import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam clients export|delete CLIENT`: a client's right of access and right to erasure (GDPR).
extension ClientsCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every row about a client (every table) as JSON.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Client id, name, external id, contact email or domain.")
        var client: String

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let export = try await runtime.attempt {
                try await runtime.runtime.clientData.export(try runtime.client(client).id, as: runtime.user)
            }
            let text = export.document.compactJSONText + "\n"
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                print(
                    "wrote \(export.rows) rows from \(export.tables) tables about \(export.client.name) (\(export.client.id)) to \(out)"
                )
            } else {
                print(text, terminator: "")
            }
            fflush(nil)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a client and every row that names them, in one transaction.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Client id (a name or email is resolved, but deletion asks for --yes).")
        var client: String

        @Flag(help: "Delete without asking.")
        var yes = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let target = try runtime.attempt { try runtime.client(client) }
            if !yes {
                print(
                    "Delete \(target.name) (\(target.id)) and everything that names them? This cannot be undone. [y/N] ",
                    terminator: "")
                fflush(nil)
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                    print("kept \(target.id)")
                    return
                }
            }
            let erasure = try await runtime.attempt { try await runtime.runtime.clientData.delete(target.id, as: runtime.user) }
            print("deleted \(target.name) (\(target.id)): \(erasure.total) rows")
            for (table, count) in erasure.rowsByTable.sorted(by: { $0.key < $1.key }) { print("  \(table): \(count)") }
            if erasure.ledgerRowsDetached > 0 {
                print("  usage-ledger rows kept for spend, client id cleared: \(erasure.ledgerRowsDetached)")
            }
            fflush(nil)
        }
    }
}
