import ArgumentParser
import Foundation
import KAMRuntime
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
            Importing the same file again updates rows instead of duplicating them. A CSV row without a \
            company column belongs to the company of its email's registrable domain (Public Suffix List); \
            a free-mail address (gmail.com, ...) needs the company column. \
            Connectors: --map salesforce DIR reads a Salesforce Data Export folder (Account.csv, Contact.csv, \
            Opportunity.csv, Task.csv, EmailMessage.csv, User.csv), --map hubspot DIR HubSpot's companies, contacts, \
            deals and activities exports, and --map zendesk FILE a Zendesk ticket export (JSON or CSV) into the \
            support tickets, as `kam tickets import`; the columns each reads are in docs/connectors.md. Rows a \
            connector cannot place (a contact without an account) are listed as skipped.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file to import (.json or .csv), or the folder of a Salesforce or HubSpot export.")
    var file: String

    @Option(help: "json or csv (default: from the file extension).")
    var format: String?

    @Option(
        name: .customLong("map"),
        help: "CSV column mapping: 'workbench' or a YAML/JSON mapping file; or a connector: salesforce, hubspot (a folder), zendesk (tickets).")
    var mapping: String?

    @Option(help: "The file's character encoding: utf-8 (default), windows-1252 or latin-1 (ISO-8859-1).")
    var encoding: String?

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
        var fileEncoding = ImportEncoding.utf8
        if let encoding {
            guard let parsed = ImportEncoding(name: encoding) else {
                throw ValidationError("--encoding must be one of \(ImportEncoding.names), not '\(encoding)'")
            }
            fileEncoding = parsed
        }
        let request = ImportService.FileRequest(
            path: file, format: resolvedFormat, mapping: mapping, encoding: fileEncoding)
        let runtime = try await AgentRuntime.open(global)
        if let mapping, SupportService.isTicketMapping(mapping) {
            // Zendesk's export holds tickets, not clients: the tickets' import, as `kam tickets import`.
            let outcome = try runtime.attempt {
                try runtime.runtime.support.importFile(file, mapping: mapping, encoding: fileEncoding, as: runtime.user)
            }
            try TicketsCommand.Import.print(outcome, file: file, json: json)
            return
        }
        let summary = try runtime.attempt { try runtime.runtime.imports.importFile(request, as: runtime.user) }
        if json {
            print(try Terminal.json(summary))
        } else {
            print("Imported \((file as NSString).lastPathComponent) into \(runtime.runtime.storage.label):")
            for (name, tally) in summary.rows {
                print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0))"
                    + "\(String(tally.created).leftPadded(6)) created \(String(tally.updated).leftPadded(6)) updated")
            }
            if !summary.mergedClients.isEmpty { print(Self.mergedClientsNotice(summary.mergedClients)) }
            if !summary.skipped.isEmpty {
                print("\nSkipped \(summary.skipped.count) rows the export could not place:")
                for line in summary.skipped.prefix(20) { print("  \(line)") }
                if summary.skipped.count > 20 { print("  ... and \(summary.skipped.count - 20) more (--json lists them all)") }
            }
        }
        fflush(nil)
    }

    /// What to do about clients an older kam merged from several companies (docs/import-format.md,
    /// "Splitting clients an older kam merged").
    static func mergedClientsNotice(_ clients: [ImportSummary.MergedClient]) -> String {
        var lines = [
            "",
            "An older kam made one client of several companies (it went by the end of the email domain);",
            "this import gave each domain its own client. What it could not move is still on the old one:",
        ]
        for client in clients {
            let left = client.contactsLeft == 0 ? "" : ", \(client.contactsLeft) of their contacts still on it"
            lines.append("  \(client.id)\t\(client.name): \(client.domains.joined(separator: ", "))\(left)")
        }
        lines.append("Check each with `kam clients show ID`, enter again with `kam remember` anything a person typed there,")
        lines.append("then `kam clients delete ID --yes` and import this file again.")
        return lines.joined(separator: "\n")
    }
}

