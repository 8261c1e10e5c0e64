import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// `kam db copy`: a whole store from SQLite into PostgreSQL and back (`StoreCopy`), every table's rows equal at the end.
@Suite("kam db copy: a whole store from SQLite into PostgreSQL and back")
struct StoreCopyTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every row of every table of `store`, each table's rows sorted (a table keyed by text comes back in its key's
    /// order, not in the order the source inserted it).
    static func contents(_ store: some TableSource, _ tables: [String]) throws -> [String: [String]] {
        var contents: [String: [String]] = [:]
        _ = try store.readTables(tables) { table, columns, rows in
            contents[table, default: []] += rows.map { row in zip(columns, row).map { "\($0)=\($1)" }.joined(separator: "|") }
        }
        return contents.mapValues { $0.sorted() }
    }

    @Test("the demo store goes into PostgreSQL and back with every row of every table as it was")
    func demoRoundTrip() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        do {
            let source = try await ClientMemoryConformanceTests.demoStore(at: folder.appendingPathComponent("demo.sqlite").path)
            let tables = try source.tableNames().sorted()
            let there = try StoreCopy.copy(from: source, to: database)
            // Every table of SQLite's schema is in PostgreSQL's.
            #expect(there.leftOut.isEmpty, "tables PostgreSQL lacks: \(there.leftOut)")
            #expect(Set(there.tables) == Set(tables))
            let back = try ClientStore.open(path: folder.appendingPathComponent("back.sqlite").path)
            let again = try StoreCopy.copy(from: database, to: back)
            #expect(again.rows == there.rows)
            // Every part of the demo came along: more than a dozen tables with rows.
            #expect(there.rows.filter { $0.value > 0 }.count > 12, "\(there.rows)")
            let expected = try Self.contents(source, there.tables)
            #expect(try Self.contents(database, there.tables) == expected)
            #expect(try Self.contents(back, there.tables) == expected)
            #expect(try back.check().isHealthy)
            let checked = try database.check()
            #expect(checked.isHealthy)
            #expect(checked.tables.filter { there.rows[$0.table] != nil }.allSatisfy { there.rows[$0.table] == $0.rows })
            // A second copy into either place is refused, and writes nothing.
            for target in [database as any TableSink, back] {
                let refused = #expect(throws: RuntimeError.self) { try StoreCopy.copy(from: source, to: target) }
                #expect(refused?.code == "copy.target-not-empty")
            }
            #expect(try Self.contents(back, there.tables) == expected)
            // PostgreSQL numbers its next rows past the copied ids.
            let largest = try await database.strings("SELECT MAX(id)::text FROM events")
            let next = try await database.strings(
                "INSERT INTO events (kind, payload, occurred_at) VALUES ('test.event', '{}', 0) RETURNING id::text")
            #expect(Int(next.first ?? "") == (Int(largest.first ?? "") ?? 0) + 1)
        } catch {
            try? await PostgresTestServer.drop(database)
            throw error
        }
        try await PostgresTestServer.drop(database)
    }

    @Test("a table the target lacks is refused when it holds rows, and left out when empty")
    func missingTable() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        do {
            let source = try ClientStore.open(path: folder.appendingPathComponent("source.sqlite").path)
            try source.addClient(Client(id: "acme", name: "Acme", createdAt: Date(timeIntervalSince1970: 1_790_000_000)))
            try await source.writer.write { db in
                try db.execute(sql: "CREATE TABLE local_notes (id INTEGER PRIMARY KEY, client_id TEXT REFERENCES clients (id), note TEXT)")
                try db.execute(sql: "INSERT INTO local_notes (client_id, note) VALUES ('acme', 'kept here only')")
            }
            let refused = #expect(throws: RuntimeError.self) { try StoreCopy.copy(from: source, to: database) }
            #expect(refused?.code == "copy.missing-table")
            #expect(refused?.message.contains("local_notes") == true)
            #expect(try database.load { try $0.counts(["clients", "events"]) } == ["clients": 0, "events": 0])

            try await source.writer.write { db in try db.execute(sql: "DELETE FROM local_notes") }
            let outcome = try StoreCopy.copy(from: source, to: database)
            #expect(outcome.leftOut.contains("local_notes") && !outcome.tables.contains("local_notes"))
            #expect(outcome.rows["clients"] == 1)
        } catch {
            try? await PostgresTestServer.drop(database)
            throw error
        }
        try await PostgresTestServer.drop(database)
    }

    @Test("tables are written after the tables their foreign keys name; a cycle is refused")
    func order() throws {
        let order = try TableOrder.parentsFirst([
            "events": [], "webhook_deliveries": ["events", "webhook_subscriptions"], "webhook_subscriptions": [],
            "users": ["users"], "clients": ["users"], "contacts": ["clients"], "elsewhere": ["not-copied"],
        ])
        #expect(order == ["elsewhere", "events", "users", "webhook_subscriptions", "clients", "webhook_deliveries", "contacts"])
        #expect(throws: StoreError.self) { try TableOrder.parentsFirst(["a": ["b"], "b": ["a"]]) }
    }
}
