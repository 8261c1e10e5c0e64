import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A CSV import appends one `client.imported` a client it created or created records for, with the counts of what it
/// created (`ImportedClientEvents`), then one `import.completed`; never an event a created record.
@Suite("CSV import: one event a client")
struct ImportedClientEventsTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let recordKinds: Set<String> = ["client.created", "contact.created", "activity.logged", "task.created", "memory.remembered"]

    /// The `client.imported` events `DomainEvent.clientImported` makes for every client with rows stored after `marks`
    /// (the largest row ids of clients and of the tables of `tables`), counted table by table, in client id order.
    static func expected(_ store: ClientStore, after marks: [Int64], importID: String) throws -> [DomainEvent] {
        try store.writer.read { db in
            let created = Set(try String.fetchAll(db, sql: "SELECT id FROM clients WHERE rowid > ?", arguments: [marks[0]]))
            var records: [String: [String: Int]] = [:]
            for (index, (table, key)) in tables.enumerated() {
                let rows = try Row.fetchAll(
                    db, sql: "SELECT client_id, count(*) FROM \(table) WHERE id > ? GROUP BY client_id", arguments: [marks[index + 1]])
                for row in rows {
                    let client: String = row[0]
                    let count: Int = row[1]
                    records[client, default: [:]][key] = count
                }
            }
            return created.union(records.keys).sorted().map {
                DomainEvent.clientImported(clientID: $0, importID: importID, created: created.contains($0), records: records[$0] ?? [:], at: now)
            }
        }
    }

    static let tables = [("contacts", "contacts"), ("activities", "activities"), ("deals", "deals"), ("tasks", "tasks"),
                         ("orders", "orders"), ("client_memory", "memory")]

    static func largestIDs(_ store: ClientStore) throws -> [Int64] {
        try store.writer.read { db in
            try (["SELECT max(rowid) FROM clients"] + tables.map { "SELECT max(id) FROM \($0.0)" })
                .map { try Int64.fetchOne(db, sql: $0) ?? 0 }
        }
    }

    static func importer(_ store: ClientStore) -> ClientImporter { ClientImporter(store: store, ids: .sequential()) }

    @Test func aCSVImportAppendsWhatTheConstructorMakesForEachClient() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        // Records stored before the import get no event from it; initech gets one for the row the file adds to it.
        try store.upsertUser(User(id: "maria", name: "Maria Lopez", email: "maria@kam.example"))
        try store.addClient(Client(id: "initech", name: "Initech", ownerID: "maria", domain: "initech.com", createdAt: Self.now))
        try store.addContact(Contact(clientID: "initech", name: "Peter", email: "peter@initech.com"))
        let marks = try Self.largestIDs(store)
        let mark = try EventRepository(store: store).lastID()
        // Companies on one, two and three rows; a task, notes and memory on every row.
        let rows = [
            CSVImportCompanyTests.row(1, "ann@acme-mfg.com", status: "Lost"),
            CSVImportCompanyTests.row(2, "gina@globex.com", interest: "Hardware", day: 9),
            CSVImportCompanyTests.row(3, "bob@acme-mfg.com", status: "Won"),
            CSVImportCompanyTests.row(4, "hal@hooli.com"),
            CSVImportCompanyTests.row(5, "cid@acme-mfg.com", interest: "Software", status: "Lost", day: 12),
            CSVImportCompanyTests.row(6, "gus@globex.com"),
            CSVImportCompanyTests.row(7, "mike@initech.com"),
        ]
        let summary = try Self.importer(store).importCSV(CSVImportCompanyTests.csv(rows), file: "crm.csv", mapping: .workbench)

        let appended = try EventRepository(store: store).events(after: mark, limit: 10_000)
        let expected = try Self.expected(store, after: marks, importID: "imp-00000001")
        #expect(expected.map(\.clientID) == ["acme-mfg", "globex", "hooli", "initech"])
        #expect(expected.map { $0.payload["created"] } == [.bool(true), .bool(true), .bool(true), .bool(false)])
        #expect(expected.map { $0.payload["contacts"] } == [.int(3), .int(2), .int(1), .int(1)])
        // The clients' events come last but one, in the order of their last rows (hooli 4, acme-mfg 5, globex 6,
        // initech 7), exactly the constructor's (payload bytes included).
        let tail = Array(appended.suffix(expected.count + 1).dropLast())
        #expect(tail.map(\.clientID) == ["hooli", "acme-mfg", "globex", "initech"])
        let sorted = tail.sorted { ($0.clientID ?? "") < ($1.clientID ?? "") }
        #expect(sorted.map(\.kind) == expected.map(\.kind.rawValue))
        #expect(sorted.map(\.clientID) == expected.map(\.clientID))
        #expect(sorted.map(\.subjectID) == expected.map(\.subjectID))
        #expect(sorted.map(\.payload) == expected.map(\.payloadText))
        #expect(sorted.map(\.occurredAt) == expected.map(\.at))
        // Then the import's own event, with the summary's tallies; and no event a created record anywhere.
        let completed = try #require(appended.last)
        let tallies = { (what: KeyPath<ImportSummary.Tally, Int>) in Dictionary(uniqueKeysWithValues: summary.rows.map { ($0.name, $0.tally[keyPath: what]) }) }
        #expect(completed.kind == "import.completed" && completed.clientID == nil && completed.subjectID == "imp-00000001")
        #expect(completed.payload == DomainEvent.importCompleted(
            importID: "imp-00000001", format: "csv", clients: 4, created: tallies(\.created), updated: tallies(\.updated), at: Self.now).payloadText)
        #expect(!appended.contains { Self.recordKinds.contains($0.kind) })
    }

    @Test(arguments: [(1, 1), (10, 1), (10, 10), (25, 4), (40, 7), (97, 13)])
    func anImportOfNRowsOverKClientsAppendsKEventsWithTheCreatedCounts(rows: Int, clients: Int) throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        let file = WorkbenchCSV(rows: rows, companies: clients)
        let summary = try Self.importer(store).importCSV(file.text, file: "crm.csv", mapping: .workbench)
        let events = try EventRepository(store: store).events(after: 0, limit: 10_000)
        let imported = events.filter { $0.kind == "client.imported" }
        #expect(imported.count == clients)
        #expect(Set(imported.compactMap(\.clientID)) == Set(try store.writer.read { db in try String.fetchAll(db, sql: "SELECT id FROM clients") }))
        let payloads = try imported.map { try #require(try JSONValue.parse($0.payload).objectValue) }
        func sum(_ key: String) -> Int { payloads.reduce(0) { $0 + Int($1[key]?.intValue ?? -1_000_000) } }
        #expect(payloads.allSatisfy { $0["created"] == .bool(true) && $0["import_id"] == .string("imp-00000001") })
        #expect(summary.clients.created == clients)
        #expect(sum("contacts") == summary.contacts.created)
        #expect(sum("activities") == summary.activities.created)
        #expect(sum("tasks") == summary.tasks.created)
        #expect(sum("memory") == summary.memory.created)
        #expect(sum("deals") == 0 && sum("orders") == 0)
        #expect(sum("activities") == (try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM activities") }))
        #expect(!events.contains { Self.recordKinds.contains($0.kind) })
        #expect(events.filter { $0.kind == "import.completed" }.count == 1)
    }

    @Test func aReImportAnnouncesOnlyTheClientsItAddedTo() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        let file = WorkbenchCSV(rows: 12, companies: 3)
        _ = try Self.importer(store).importCSV(file.text, file: "crm.csv", mapping: .workbench)
        var mark = try EventRepository(store: store).lastID()
        // The same file again: nothing new, only the import's own event.
        _ = try Self.importer(store).importCSV(file.text, file: "crm.csv", mapping: .workbench)
        var again = try EventRepository(store: store).events(after: mark)
        #expect(again.map(\.kind) == ["import.completed"])
        #expect(try JSONValue.parse(again[0].payload)["clients"] == .int(0))

        // One more person at company1: its event says it was not created and counts the new contact.
        mark = try EventRepository(store: store).lastID()
        let more = WorkbenchCSV(rows: 13, companies: 3)
        _ = try Self.importer(store).importCSV(
            WorkbenchCSV.header + "\n" + more.line(12) + "\n", file: "more.csv", mapping: .workbench)
        again = try EventRepository(store: store).events(after: mark).filter { $0.kind == "client.imported" }
        #expect(again.map(\.clientID) == ["company0"])
        let payload = try JSONValue.parse(again[0].payload)
        #expect(payload["created"] == .bool(false) && payload["contacts"] == .int(1))
    }
}
