import Foundation
import KAMCore

/// The events of a CSV import: one `client.imported` for each client the import created or created records for
/// (`DomainEvent.clientImported`: whether it created the client, how many contacts, activities, deals, tasks, orders
/// and memory items it created for it), appended once the records of the client's last row are written, in the order of the
/// clients' last rows in the file; then, before the commit, one `import.completed`. A client the import only updated, with
/// nothing new, gets none, so a re-import that changes nothing appends only its `import.completed`.
///
/// Why one event a client and not one a record: an import is a backfill of history, and an event for every imported
/// activity, task and contact is noise for the rules and the outbound webhooks; it was also half of SQLite's work for a
/// row of one person a company (seven event rows and their index entries a CSV row: `tools/import-floor`, BENCHMARKS.md
/// "CSV import"). Which rules still start on it: docs/events.md.
///
/// The counts are the writer's own (`CSVImportWriter` keeps a client's tally from the outcomes of the writes it made
/// with `announcesCreations` false, which is what would have announced each record). They were once read back by an
/// `INSERT … SELECT` over every table's rows above the import's starting row ids, grouped by client: 12% of the
/// writing thread for a file of one row a client (BENCHMARKS.md "CSV import"); and kept until the end to be sorted
/// by client id, they outgrew the import's memory limit. `ImportedClientEventsTests` still counts the tables' new rows
/// and compares.
struct ImportedClientEvents {
    /// What the import created for one client.
    struct Tally {
        /// Whether the import created the client itself.
        var created = false
        var contacts = 0
        var activities = 0
        var tasks = 0
        var memory = 0

        var isEmpty: Bool { !created && contacts == 0 && activities == 0 && tasks == 0 && memory == 0 }

        /// Counts one more record of `kind` when `outcome` says it was created.
        static func count(_ outcome: UpsertOutcome, in kind: inout Int) {
            if outcome == .created { kind += 1 }
        }

        /// The payload's counts (deals and orders, which a CSV row never holds, 0).
        var counts: ImportedRecordCounts { ImportedRecordCounts(contacts: contacts, activities: activities, tasks: tasks, memory: memory) }
    }

    let importID: String
    let now: Date
    /// How many `client.imported` were appended.
    private(set) var clients = 0

    init(importID: String, at now: Date) {
        self.importID = importID
        self.now = now
    }

    /// Appends the `client.imported` of each client (its id and tally), in order, except those the import created nothing for.
    mutating func append(_ sink: any ImportSink, _ clients: [(id: String, tally: Tally)]) throws {
        let events = clients.compactMap { client in
            client.tally.isEmpty
                ? nil
                : DomainEvent.clientImported(
                    clientID: client.id, importID: importID, created: client.tally.created, counts: client.tally.counts, at: now)
        }
        try sink.append(events)
        self.clients += events.count
    }

    /// Appends the import's `import.completed` with `summary`'s tallies.
    func complete(_ sink: any ImportSink, format: String, summary: ImportSummary) throws {
        try sink.append(
            .importCompleted(
                importID: importID, format: format, clients: clients, created: summary.counts(\.created),
                updated: summary.counts(\.updated), at: now))
    }
}
