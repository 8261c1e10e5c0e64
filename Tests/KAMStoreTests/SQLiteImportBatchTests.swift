import Foundation
import GRDB
import KAMCore
import Testing

@testable import KAMStore

/// SQLite writes an import's batches of records many rows a statement (`ClientRecords+Batches`): each batch must leave
/// the ids, outcomes, rows and events that writing its records one at a time leaves, whatever it meets: stored keys, a
/// key twice in one statement or across two, a statement SQLite refuses.
@Suite("SQLite import batches")
struct SQLiteImportBatchTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// A store with two clients and, for `acme`, a stored contact, activity, task and memory item under keys the batches
    /// meet again.
    static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { Self.now })
        try store.writer.write { db in
            let sink = DatabaseImportSink(db: db)
            for id in ["acme", "globex"] {
                try sink.insertClient(Client(id: id, name: id.capitalized, createdAt: Self.now), at: Self.now, announcing: false)
            }
            _ = try sink.upsertContact(Self.contact(0, version: "stored"), at: Self.now, announcingCreation: false)
            _ = try sink.upsertActivity(Self.activity(0, version: "stored"), at: Self.now, announcingCreation: false)
            _ = try sink.upsertTask(Self.task(0, version: "stored"), at: Self.now, announcingCreation: false)
            _ = try sink.upsertMemory(Self.memory(0, version: "stored"), announcingCreation: false)
        }
        return store
    }

    static func contact(_ n: Int, version: String) -> Contact {
        Contact(clientID: n % 2 == 0 ? "acme" : "globex", externalID: "c-\(n)", name: "Person \(n) \(version)", email: "p\(n)@acme.com")
    }

    static func activity(_ n: Int, version: String) -> Activity {
        Activity(
            clientID: n % 2 == 0 ? "acme" : "globex", externalID: "a-\(n)", kind: .note, direction: .internal,
            occurredAt: Self.now.addingTimeInterval(Double(n)), subject: "Note \(n) \(version)")
    }

    static func task(_ n: Int, version: String) -> ClientTask {
        ClientTask(
            clientID: n % 2 == 0 ? "acme" : "globex", externalID: "t-\(n)", title: "Task \(n)",
            status: version == "stored" ? .done : .open)
    }

    static func memory(_ n: Int, version: String) -> MemoryItem {
        MemoryItem(clientID: n % 2 == 0 ? "acme" : "globex", kind: .fact, key: "fact-\(n)", value: "\(n) \(version)", updatedAt: Self.now)
    }

    /// 150 records (more than two statements' worth): new keys, the stored key 0, key 7 twice in one statement and
    /// key 9 again in the next.
    static let numbers = [0] + Array(1...70) + [7] + Array(71...140) + [9] + Array(141...148)

    /// Every row of the tables written, and the events, in id order.
    static func rows(_ store: ClientStore) throws -> [String] {
        try store.writer.read { db in
            try ["clients", "contacts", "activities", "tasks", "client_memory", "events"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\(table) \($0)" }
            }
        }
    }

    /// The answers of one batch of each kind, and the rows they leave: together, or one record at a time.
    static func written(together: Bool) throws -> (answers: [String], rows: [String]) {
        let store = try Self.store()
        var answers: [String] = []
        try store.writer.write { db in
            let sink = DatabaseImportSink(db: db)
            let version = { (index: Int) in index % 2 == 0 ? "first" : "second" }
            let contacts = Self.numbers.enumerated().map { Self.contact($1, version: version($0)) }
            let activities = Self.numbers.enumerated().map { Self.activity($1, version: version($0)) }
            let tasks = Self.numbers.enumerated().map { Self.task($1, version: version($0)) }
            let memory = Self.numbers.enumerated().map { Self.memory($1, version: version($0)) }
            let clients = (1...70).map { Client(id: "new-\($0)", name: "New \($0)", createdAt: Self.now) }
            if together {
                try sink.insertClients(clients, at: Self.now, announcing: false)
                answers += try sink.upsertContacts(contacts, at: Self.now, announcingCreation: false).map { "\($0)" }
                answers += try sink.upsertActivities(activities, at: Self.now, announcingCreation: false).map { "\($0)" }
                answers += try sink.upsertTasks(tasks, at: Self.now, announcingCreation: false).map { "\($0)" }
                answers += try sink.upsertMemories(memory, announcingCreation: false).map { "\($0)" }
                try sink.append(clients.map { DomainEvent.clientCreated($0, at: Self.now) })
            } else {
                for client in clients { try sink.insertClient(client, at: Self.now, announcing: false) }
                answers += try contacts.map { "\(try sink.upsertContact($0, at: Self.now, announcingCreation: false))" }
                answers += try activities.map { "\(try sink.upsertActivity($0, at: Self.now, announcingCreation: false))" }
                answers += try tasks.map { "\(try sink.upsertTask($0, at: Self.now, announcingCreation: false))" }
                answers += try memory.map { "\(try sink.upsertMemory($0, announcingCreation: false))" }
                for client in clients { try sink.append(DomainEvent.clientCreated(client, at: Self.now)) }
            }
        }
        return (answers, try Self.rows(store))
    }

    @Test("a batch stores the ids, outcomes, rows and events of its records one at a time: stored keys, a key twice")
    func togetherAsOneAtATime() throws {
        let together = try Self.written(together: true)
        let single = try Self.written(together: false)
        #expect(together.answers == single.answers)
        #expect(together.rows == single.rows)
        // The batches met what they are for: updates of stored and repeated keys, and a status change's event.
        #expect(single.answers.filter { $0.contains("updated") }.count == 4 * 3)
        #expect(single.rows.contains { $0.contains("task.status-changed") })
        #expect(single.rows.contains { $0.contains("Person 7 second") } && !single.rows.contains { $0.contains("Person 7 first") })
    }

    @Test("a statement SQLite refuses is undone whole; its records go one at a time, as they would alone, to the one refused")
    func refusedStatement() throws {
        func written(together: Bool) throws -> (error: String, contacts: Int) {
            let store = try Self.store()
            var contacts = (1...100).map { Self.contact($0, version: "first") }
            contacts[83].clientID = "nobody"  // no such client: the foreign key refuses it
            return try store.writer.write { db in
                let sink = DatabaseImportSink(db: db)
                var failure = ""
                do {
                    if together {
                        _ = try sink.upsertContacts(contacts, at: Self.now, announcingCreation: false)
                    } else {
                        for contact in contacts { _ = try sink.upsertContact(contact, at: Self.now, announcingCreation: false) }
                    }
                } catch {
                    failure = "\(error)"
                }
                return (failure, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0)
            }
        }
        let together = try written(together: true)
        let single = try written(together: false)
        #expect(together.error.contains("FOREIGN KEY"))
        #expect(together.error == single.error)
        // The stored contact, the first statement's 64, and the second's 19 before the refused one.
        #expect(together.contacts == 84 && single.contacts == 84)
    }
}
