import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam client export|delete CLIENT`: a client's right of access and right to erasure.
struct ClientDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Everything stored about one client: export it as JSON, or delete it (GDPR).",
        subcommands: [Export.self, Delete.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every row about a client (every table) as JSON.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Client id, name, external id, contact email or domain.")
        var client: String

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func run() async throws {
            let store = try StoreOpening.open(global)
            let target = try StoreOpening.resolve(client, in: store)
            let document: JSONValue
            do {
                document = try ClientDataEraser(store: store).export(clientID: target.id, at: Date())
            } catch {
                throw StoreOpening.fail(error)
            }
            let text = document.compactJSONText + "\n"
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                let tables = document["tables"]?.objectValue ?? [:]
                let rows = tables.values.reduce(0) { $0 + ($1.arrayValue?.count ?? 0) }
                print("wrote \(rows) rows from \(tables.count) tables about \(target.name) (\(target.id)) to \(out)")
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
            let store = try StoreOpening.open(global)
            let target = try StoreOpening.resolve(client, in: store)
            if !yes {
                print("Delete \(target.name) (\(target.id)) and everything that names them? This cannot be undone. [y/N] ", terminator: "")
                fflush(nil)
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                    print("kept \(target.id)")
                    return
                }
            }
            let erasure: ClientDataEraser.Erasure
            do {
                erasure = try ClientDataEraser(store: store).erase(clientID: target.id)
            } catch {
                throw StoreOpening.fail(error)
            }
            print("deleted \(target.name) (\(target.id)): \(erasure.total) rows")
            for (table, count) in erasure.rowsByTable.sorted(by: { $0.key < $1.key }) { print("  \(table): \(count)") }
            if erasure.ledgerRowsDetached > 0 {
                print("  usage-ledger rows kept for spend, client id cleared: \(erasure.ledgerRowsDetached)")
            }
            fflush(nil)
        }
    }
}
