import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A large import drops the indexes it does not read and builds them again before its commit: the
/// schema after it is the schema before, and a store larger than the import keeps its indexes.
@Suite("Deferred indexes of a large import")
struct DeferredIndexesTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    static func indexes(_ store: ClientStore) throws -> [String: String] {
        try store.writer.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).map { ($0["name"] as String, $0["sql"] as String) })
        }
    }

    @Test("every index the import may defer exists in the schema (a renamed one would silently stay)")
    func candidatesExist() throws {
        let names = try Self.indexes(ClientStore.inMemory(now: { Self.now }))
        for (table, indexes) in DeferredIndexes.candidates {
            for name in indexes {
                #expect(names[name]?.contains(table) == true, "\(name) on \(table)")
            }
        }
    }

    @Test("an import into an empty store rebuilds every index it dropped, and the rows are found through them")
    func rebuiltAfterImport() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        let before = try Self.indexes(store)
        let csv = WorkbenchCSV(rows: 600, companies: 600)
        _ = try ClientImporter(store: store).importCSV(csv.text, file: "gen.csv", mapping: .workbench)
        #expect(try Self.indexes(store) == before)
        try store.writer.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            // Through events_client: company7's events are found by the index the import rebuilt.
            let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM events WHERE client_id = 'company7' ORDER BY id")
            #expect(plan.contains { ($0["detail"] as String).contains("events_client") })
            #expect(try String.fetchAll(db, sql: "SELECT kind FROM events WHERE client_id = 'company7'") == ["client.imported"])
        }
    }

    @Test("a table holding more rows than the import brings keeps its indexes; a rolled-back import restores them")
    func largerTablesKeepTheirIndexes() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        _ = try ClientImporter(store: store).importCSV(
            WorkbenchCSV(rows: 300, companies: 300).text, file: "gen.csv", mapping: .workbench)
        let before = try Self.indexes(store)
        let dropped = try store.writer.write { db in
            try DeferredIndexes.drop(in: db, rowsComing: 10).dropped.map(\.name)
        }
        #expect(dropped.isEmpty)
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.writer.write { db in
                let deferred = try DeferredIndexes.drop(in: db, rowsComing: 1_000_000)
                #expect(deferred.dropped.count == DeferredIndexes.candidates.map(\.indexes.count).reduce(0, +))
                throw Refused()
            }
        }
        #expect(try Self.indexes(store) == before)
    }

    @Test("a campaign import defers the recipients' client and contact indexes when it brings as many rows as the table holds, and builds them again")
    func campaignImport() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        let before = try Self.indexes(store)
        for name in CampaignImporter.deferrableIndexes {
            #expect(before[name]?.contains("campaign_recipients") == true, "\(name)")
        }
        let report = "Email Address,Campaign Title,Send Time\na@acme.example,Launch,2026-01-05\nb@acme.example,Launch,2026-01-05\n"
        let summary = try CampaignImporter(store: store, domains: try .bundled())
            .importCSV(Data(report.utf8), file: "report.csv", vendor: .mailchimp)
        #expect(summary.recipients == 2)
        #expect(try Self.indexes(store) == before)
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try store.writer.write { db in
                #expect(try CampaignImporter.deferIndexes(db, rowsComing: 1).dropped.isEmpty)  // the table holds two
                #expect(try CampaignImporter.deferIndexes(db, rowsComing: 2).dropped.map(\.name) == CampaignImporter.deferrableIndexes)
                throw Refused()
            }
        }
        #expect(try Self.indexes(store) == before)
    }
}
