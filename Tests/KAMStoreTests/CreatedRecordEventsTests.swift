import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A CSV import appends its created records' events together before its commit (`CreatedRecordEvents`): the
/// same events, payload for payload, as the records' own constructors in `DomainEvent` make.
@Suite("CSV import: the events of what it created")
struct CreatedRecordEventsTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// The events `DomainEvent`'s constructors make for every client, contact, activity, task and memory item
    /// stored after the given row ids, by kind, each in the order stored.
    static func expected(_ store: ClientStore, after marks: [Int64], at now: Date) throws -> [DomainEvent] {
        try store.writer.read { db in
            var events: [DomainEvent] = []
            for row in try Row.fetchAll(db, sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE rowid > ? ORDER BY rowid", arguments: [marks[0]]) {
                events.append(.clientCreated(try ClientRecords.client(row), at: now))
            }
            for row in try Row.fetchAll(db, sql: "SELECT \(ClientRecords.contactColumns) FROM contacts WHERE id > ? ORDER BY id", arguments: [marks[1]]) {
                events.append(.contactCreated(try ClientRecords.contact(row), id: row[0], at: now))
            }
            for row in try Row.fetchAll(db, sql: "SELECT \(ClientRecords.activityColumns) FROM activities WHERE id > ? ORDER BY id", arguments: [marks[2]]) {
                events.append(.activityLogged(try ClientRecords.activity(row), id: row[0], at: now))
            }
            for row in try Row.fetchAll(db, sql: "SELECT \(ClientRecords.taskColumns) FROM tasks WHERE id > ? ORDER BY id", arguments: [marks[3]]) {
                events.append(.taskCreated(try ClientRecords.task(row), id: row[0], at: now))
            }
            for row in try Row.fetchAll(db, sql: "SELECT \(ClientRecords.memoryColumns) FROM client_memory WHERE id > ? ORDER BY id", arguments: [marks[4]]) {
                let item = try ClientRecords.memory(row)
                events.append(.memoryRemembered(item, id: row[0], created: true, at: item.updatedAt))
            }
            return events
        }
    }

    static func largestIDs(_ store: ClientStore) throws -> [Int64] {
        try store.writer.read { db in
            try ["SELECT max(rowid) FROM clients", "SELECT max(id) FROM contacts", "SELECT max(id) FROM activities",
                 "SELECT max(id) FROM tasks", "SELECT max(id) FROM client_memory"].map { try Int64.fetchOne(db, sql: $0) ?? 0 }
        }
    }

    @Test func aCSVImportAppendsWhatEachCreatedRecordsConstructorMakes() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        // Records stored before the import get no event from it.
        try store.upsertUser(User(id: "maria", name: "Maria Lopez", email: "maria@kam.example"))
        try store.addClient(Client(id: "initech", name: "Initech", ownerID: "maria", createdAt: Self.now))
        try store.addContact(Contact(clientID: "initech", name: "Peter", email: "peter@initech.example"))
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
        ]
        _ = try ClientImporter(store: store).importCSV(CSVImportCompanyTests.csv(rows), file: "crm.csv", mapping: .workbench)

        let created: Set<String> = ["client.created", "contact.created", "activity.logged", "task.created", "memory.remembered"]
        let appended = try EventRepository(store: store).events(after: mark, limit: 10_000)
        let expected = try Self.expected(store, after: marks, at: Self.now)
        #expect(expected.filter { $0.kind == .clientCreated }.map(\.clientID) == ["acme-mfg", "globex", "hooli"])
        #expect(expected.count > 20)
        // The created records' events come last, by kind, and are exactly the constructors' (payload bytes included).
        let tail = Array(appended.suffix(expected.count))
        #expect(tail.map(\.kind) == expected.map(\.kind.rawValue))
        #expect(tail.map(\.clientID) == expected.map(\.clientID))
        #expect(tail.map(\.subjectID) == expected.map(\.subjectID))
        #expect(tail.map(\.payload) == expected.map(\.payloadText))
        #expect(tail.map(\.occurredAt) == expected.map(\.at))
        #expect(!appended.dropLast(expected.count).contains { created.contains($0.kind) })
    }

    @Test func timesOutsideWholeSecondsOfTheModernEraArePrintedAsTheConstructorsPrintThem() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: Self.now))
        let marks = try Self.largestIDs(store)
        let mark = try EventRepository(store: store).lastID()
        // A fraction of a second, a time before 1600 and one after 9999, a task without a due time.
        let times = [1_767_225_600.25, -12_000_000_000, 253_402_300_800, 0]
        try store.writer.write { db in
            let events = try CreatedRecordEvents.mark(db)
            for (index, seconds) in times.enumerated() {
                try ClientRecords.upsertActivity(
                    db,
                    Activity(
                        clientID: "acme", externalID: "a\(index)", kind: .call, direction: .inbound,
                        occurredAt: Date(timeIntervalSince1970: seconds), subject: "Call"),
                    at: Self.now, announcingCreation: false)
                try ClientRecords.upsertTask(
                    db,
                    ClientTask(
                        clientID: "acme", externalID: "t\(index)", title: "Task \(index)",
                        due: index == 3 ? nil : Date(timeIntervalSince1970: seconds)),
                    at: Self.now, announcingCreation: false)
            }
            try events.append(db, at: Self.now)
        }
        let appended = try EventRepository(store: store).events(after: mark)
        let expected = try Self.expected(store, after: marks, at: Self.now)
        #expect(expected.count == 8)
        #expect(appended.map(\.payload) == expected.map(\.payloadText))
    }
}
