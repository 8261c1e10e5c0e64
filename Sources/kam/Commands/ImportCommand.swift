import ArgumentParser
import Foundation
import KAMStore

/// `kam import FILE`: loads clients from a JSON document or a CSV export, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import clients, contacts, activities, deals, tasks, orders and memory from JSON or CSV.",
        discussion: """
            JSON follows docs/import-format.md. CSV needs a column mapping: --map workbench (the built-in \
            mapping of the workbench CRM export) or --map FILE.yaml|json (target field: CSV column). One file \
            is one transaction: a bad row is reported with its line and column and nothing is stored. \
            Importing the same file again updates rows instead of duplicating them.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file to import (.json or .csv).")
    var file: String

    @Option(help: "json or csv (default: from the file extension).")
    var format: String?

    @Option(name: .customLong("map"), help: "CSV column mapping: 'workbench' or a YAML/JSON mapping file.")
    var mapping: String?

    @Flag(help: "Print the counts as JSON.")
    var json = false

    func run() async throws {
        var resolvedFormat: ClientImporter.Format?
        if let format {
            guard let parsed = ClientImporter.Format(rawValue: format.lowercased()) else {
                throw ValidationError("--format must be json or csv, not '\(format)'")
            }
            resolvedFormat = parsed
        }
        let store = try StoreOpening.open(global)
        let summary: ImportSummary
        do {
            let csvMapping = try mapping.map(CSVMapping.resolve)
            if resolvedFormat == nil, csvMapping != nil { resolvedFormat = .csv }
            summary = try ClientImporter(store: store).importFile(at: file, format: resolvedFormat, mapping: csvMapping)
        } catch {
            throw StoreOpening.fail(error)
        }
        if json {
            print(try StoreOpening.json(summary))
        } else {
            print("Imported \((file as NSString).lastPathComponent) into \(global.databasePath):")
            for (name, tally) in summary.rows {
                print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0))"
                    + "\(String(tally.created).leftPadded(6)) created \(String(tally.updated).leftPadded(6)) updated")
            }
        }
        fflush(nil)
    }
}

