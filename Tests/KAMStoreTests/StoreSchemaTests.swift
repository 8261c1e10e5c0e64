import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

@Suite("Store schema")
struct StoreSchemaTests {
    @Test("migrations create every table and the indexes the context reads use")
    func migrationsCreateTablesAndIndexes() throws {
        let store = try ClientStore.inMemory()
        try store.writer.read { db in
            for table in ["users", "clients", "contacts", "activities", "deals", "deal_stage_history", "tasks", "orders", "client_memory"] {
                #expect(try db.tableExists(table), "missing table \(table)")
            }
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'")
            for index in ["activities_on_client_time", "deals_open_on_client", "tasks_pending_on_client_due", "contacts_on_email",
                          "clients_on_domain", "clients_on_name"] {
                #expect(indexes.contains(index), "missing index \(index)")
            }
            let applied = try KAMSchema.migrator.appliedIdentifiers(db)
            #expect(applied == Set(KAMSchema.migrations.map(\.id)))
            #expect(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") == true)
        }
    }

    @Test("the activity query of a snapshot uses the (client_id, occurred_at) index")
    func snapshotQueryUsesIndex() throws {
        let store = try ClientStore.inMemory()
        let plan = try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT * FROM activities WHERE client_id = ? AND occurred_at >= ? ORDER BY occurred_at DESC",
                arguments: ["acme", 0]
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("activities_on_client_time"))
    }

    @Test("a file opens in WAL mode and reopens without migrating again")
    func fileStoreReopens() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let store = try ClientStore.open(path: file.path)
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Date(timeIntervalSince1970: 0)))
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let reopened = try ClientStore.open(path: file.path)
        #expect(try reopened.client(id: "acme")?.name == "Acme")
    }

    @Test("a database written by a newer kam is refused with advice to upgrade")
    func newerSchemaRefused() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        _ = try ClientStore.open(path: file.path)
        SQLiteProcess.configure()  // before SQLite opens its first connection of this process
        let queue = try DatabaseQueue(path: file.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('drafts-v9-from-the-future')")
        }
        try queue.close()
        let error = try #require(throws: StoreError.self) { try ClientStore.open(path: file.path) }
        #expect(error.code == .newerSchema)
        #expect(error.message.contains("drafts-v9-from-the-future"))
        #expect(error.message.contains("upgrade kam"))
    }

    @Test("a file that is not SQLite gives a clear error, not a crash")
    func corruptFileRefused() throws {
        let file = TemporaryFile("notes.sqlite")
        defer { file.remove() }
        try file.write("customer_id,name\n1,Acme\n" + String(repeating: "garbage ", count: 200))
        let error = try #require(throws: StoreError.self) { try ClientStore.open(path: file.path) }
        #expect(error.code == .notADatabase)
        #expect(error.message.contains(file.path))
    }

    @Test("a damaged SQLite file (valid header, broken pages) gives a clear error")
    func damagedDatabaseRefused() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        do {
            // A rollback-journal file, so everything is in the main file we damage.
            SQLiteProcess.configure()  // before SQLite opens its first connection of this process
            let queue = try DatabaseQueue(path: file.path)
            let store = try ClientStore(writer: queue, path: file.path)
            try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Date(timeIntervalSince1970: 0)))
            try queue.close()
        }
        var data = try Data(contentsOf: URL(fileURLWithPath: file.path))
        for index in 100..<min(data.count, 8192) { data[index] = 0xA5 }
        try data.write(to: URL(fileURLWithPath: file.path))
        let error = try #require(throws: StoreError.self) { try ClientStore.open(path: file.path) }
        #expect(error.code == .notADatabase || error.code == .cannotOpen)
    }

    @Test("migration ids are unique, so feature lists can be appended safely")
    func migrationIDsUnique() {
        let ids = KAMSchema.migrations.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.first == "foundation-v1")
    }
}
