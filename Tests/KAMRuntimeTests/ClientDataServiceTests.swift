import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ClientDataServiceTests {
    /// For every table with a `client_id` column: the rowids of each client's rows.
    static func rowsByClient(_ store: ClientStore) throws -> [String: [String: Set<Int64>]] {
        try store.writer.read { db in
            var found: [String: [String: Set<Int64>]] = [:]
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))").map {
                    $0["name"] as String
                }
                let column = table == "clients" ? "id" : "client_id"
                guard columns.contains(column) else { continue }
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT rowid AS row_number, \(column) AS owner FROM \(table.quotedDatabaseIdentifier) WHERE \(column) IS NOT NULL"
                ) {
                    found[table, default: [:]][row["owner"] as String, default: []].insert(row["row_number"])
                }
            }
            return found
        }
    }

    /// The tables with a text column that contains `needle`, case-insensitively.
    static func tablesMentioning(_ needle: String, in store: ClientStore) throws -> [String] {
        try store.writer.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            return try tables.filter { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)").contains { row in
                    row.databaseValues.contains { value in
                        switch value.storage {
                        case .string(let text): text.localizedCaseInsensitiveContains(needle)
                        case .blob(let data):
                            String(decoding: data, as: UTF8.self).localizedCaseInsensitiveContains(needle)
                        default: false
                        }
                    }
                }
            }.sorted()
        }
    }

    @Test(arguments: ["acme", "globex", "umbrella", "wayne"])
    func deleteRemovesEveryRowOfTheClientAndNoOtherClientsRow(target: String) async throws {
        let world = try await CRMTestWorld.demo()
        for client in try world.runtime.clients.list(as: .anonymous).map(\.id) { world.suggest(client) }
        try await world.draft(target)
        try await world.draft(target == "acme" ? "globex" : "acme")
        let name = try #require(try world.runtime.sqliteStore!.client(id: target)).name
        let before = try Self.rowsByClient(world.runtime.sqliteStore!)
        #expect(before["drafts"]?[target]?.isEmpty == false && before["contacts"]?[target]?.isEmpty == false)
        #expect(before["model_calls"]?[target]?.isEmpty == false)

        let erasure = try await world.runtime.clientData.delete(target, as: ActingUser("maria"))

        let after = try Self.rowsByClient(world.runtime.sqliteStore!)
        for (table, owners) in before {
            #expect(after[table]?[target] == nil, "\(table) still has rows of \(target)")
            for (owner, rows) in owners where owner != target {
                #expect(after[table]?[owner] == rows, "\(table) lost rows of \(owner)")
            }
        }
        #expect(try Self.tablesMentioning(name, in: world.runtime.sqliteStore!) == [])
        #expect(try world.runtime.drafts.list(as: .anonymous).allSatisfy { $0.clientID != target })
        // The usage ledger keeps the spend, detached from the client.
        let spent = ["model_calls", "budget_reservations"].map { before[$0]?[target]?.count ?? 0 }.reduce(0, +)
        #expect(erasure.ledgerRowsDetached == spent)
        #expect(erasure.rowsByTable["clients"] == 1)
        #expect(erasure.rowsByTable["contacts"] == before["contacts"]?[target]?.count)
        #expect(throws: RuntimeError.self) { try world.runtime.clients.snapshot(target, as: .anonymous) }
    }

    @Test func exportHasTheClientsRowsOnlyStampedWithTheRuntimeClock() async throws {
        let world = try await CRMTestWorld.demo()
        try await world.draft("acme")
        try await world.draft("globex")
        let export = try await world.runtime.clientData.export("acme", as: .anonymous)
        #expect(export.client.id == "acme")
        #expect(export.document["client_id"] == .string("acme"))
        #expect(export.document["exported_at"] == .string(ISO8601DateFormatter().string(from: world.now)))
        let tables = try #require(export.document["tables"]?.objectValue)
        #expect(export.tables == tables.count)
        #expect(export.rows == tables.values.reduce(0) { $0 + ($1.arrayValue?.count ?? 0) })
        let owned = try Self.rowsByClient(world.runtime.sqliteStore!)
        for (table, owners) in owned {
            let rows = tables[table]?.arrayValue ?? []
            #expect(rows.count == owners["acme"]?.count ?? 0, "\(table)")
            let column = table == "clients" ? "id" : "client_id"
            #expect(rows.allSatisfy { $0[column] == .string("acme") }, "\(table) has another client's row")
        }
        // Exporting changes nothing.
        #expect(try Self.rowsByClient(world.runtime.sqliteStore!) == owned)
    }

    @Test func anUnknownClientIsNotFoundAndNothingIsDeleted() async throws {
        let world = try await CRMTestWorld.demo()
        let before = try Self.rowsByClient(world.runtime.sqliteStore!)
        await #expect { try await world.runtime.clientData.delete("nakatomi", as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "client.not-found"
        }
        await #expect { try await world.runtime.clientData.export("nakatomi", as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "client.not-found"
        }
        #expect(try Self.rowsByClient(world.runtime.sqliteStore!) == before)
    }
}
