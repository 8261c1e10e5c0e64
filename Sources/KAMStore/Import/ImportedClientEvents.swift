import Foundation
import GRDB
import KAMCore

/// The events of a CSV import, appended together before its commit: one `client.imported` for each client the import
/// created or created records for (`DomainEvent.clientImported`: whether it created the client, how many contacts,
/// activities, deals, tasks, orders and memory items it created for it), in client id order (bytes, as SQLite's
/// BINARY), after the import's other events (a lead move, a memory item replaced); then one `import.completed`. A
/// client the import only updated, with nothing new, gets none, so a re-import that changes nothing appends only its
/// `import.completed`.
///
/// Why one event a client and not one a record: an import is a backfill of history, and an event for every imported
/// activity, task and contact is noise for the rules and the outbound webhooks; it was also half of SQLite's work for a
/// row of one person a company (seven event rows and their index entries a CSV row: `tools/import-floor`, BENCHMARKS.md
/// "CSV import"). Which rules still start on it: docs/events.md.
///
/// The counts are the writer's own (`CSVImportWriter` adds a client's tally at its last row, from the outcomes of the
/// writes it made with `announcesCreations` false, which is what would have announced each record). They were read
/// back once by an `INSERT … SELECT` over every table's rows above the import's starting row ids, grouped by client:
/// 12% of the writing thread for a file of one row a client (BENCHMARKS.md "CSV import"). `ImportedClientEventsTests`
/// still counts the new rows that way and compares.
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

        mutating func merge(_ other: Tally) {
            created = created || other.created
            contacts += other.contacts
            activities += other.activities
            tasks += other.tasks
            memory += other.memory
        }

        /// The payload's counts (`DomainEvent.importedRecordKinds`; deals and orders, which a CSV row never holds, 0).
        var records: [String: Int] { ["contacts": contacts, "activities": activities, "tasks": tasks, "memory": memory] }
    }

    private var tallies: [(clientID: String, tally: Tally)] = []

    /// Keeps what the import created for `clientID`, unless it created nothing.
    mutating func add(clientID: String, _ tally: Tally) {
        guard !tally.isEmpty else { return }
        tallies.append((clientID, tally))
    }

    /// Appends a `client.imported` for every client with a tally, then the import's `import.completed` with
    /// `summary`'s tallies, at `now`.
    func append(_ db: Database, importID: String, format: String, summary: ImportSummary, at now: Date) throws {
        var clients = 0
        var pending: (clientID: String, tally: Tally)?
        func flush() throws {
            guard let (clientID, tally) = pending else { return }
            try EventLog.append(
                db, .clientImported(clientID: clientID, importID: importID, created: tally.created, records: tally.records, at: now))
            clients += 1
        }
        // A client is finished once a file, so ids do not repeat; two tallies of one id would still make one event.
        for next in tallies.sorted(by: { $0.clientID.utf8.lexicographicallyPrecedes($1.clientID.utf8) }) {
            if pending?.clientID == next.clientID {
                pending!.tally.merge(next.tally)
                continue
            }
            try flush()
            pending = next
        }
        try flush()
        try EventLog.append(
            db,
            .importCompleted(
                importID: importID, format: format, clients: clients, created: summary.counts(\.created),
                updated: summary.counts(\.updated), at: now))
    }
}
