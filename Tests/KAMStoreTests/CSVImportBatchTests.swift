import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A CSV import holds its rows' contacts, activities, tasks and memory items to write them together
/// (`CSVPendingRecords`): whatever the batches' size, it must store what writing each record at once stores.
@Suite("CSV import batches")
struct CSVImportBatchTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let workbenchPath = "/work/shared/data/crm/workbench-crm.csv"

    /// The WorkBench export with 40 of its people on a second row further down, with other notes: the same contact id,
    /// task id and client again, so a batch meets a key it holds.
    static func workbenchWithRepeats() throws -> String {
        let lines = try String(contentsOfFile: workbenchPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let repeated = lines.dropFirst().filter { !$0.contains("\"") }.prefix(40).map { line in
            String(line[..<line.lastIndex(of: ",")!]) + ",2024-01-05: Sent an email. 2024-01-09: Met in person."
        }
        return (lines + repeated).joined(separator: "\n") + "\n"
    }

    /// Every row of the tables an import writes, in id order, as text.
    static func rows(_ store: ClientStore) throws -> [String] {
        try store.writer.read { db in
            try ["users", "clients", "contacts", "activities", "tasks", "client_memory", "events"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\(table) \($0)" }
            }
        }
    }

    /// The rows after importing `text` once and then again (which updates), with batches of `capacity` records.
    static func imported(_ text: String, capacity: Int) throws -> (first: [String], again: [String], summaries: [String]) {
        let store = try ClientStore.inMemory(now: { Self.now })
        var importer = ClientImporter(store: store, ids: .sequential())
        importer.batchCapacity = capacity
        let first = try importer.importCSV(text, file: "crm.csv", mapping: .workbench)
        let afterFirst = try rows(store)
        let again = try importer.importCSV(text, file: "crm.csv", mapping: .workbench)
        return (afterFirst, try rows(store), ["\(first)", "\(again)"])
    }

    @Test(
        "batches of any size store the rows, ids, contact links, summaries and events of writing each record at once",
        arguments: ["workbench", "workbench with people on two rows", "ten rows a company"])
    func anyBatchSize(file: String) throws {
        let text =
            switch file {
            case "workbench": try String(contentsOfFile: Self.workbenchPath, encoding: .utf8)
            case "workbench with people on two rows": try Self.workbenchWithRepeats()
            default: WorkbenchCSV(rows: 400, companies: 40).text
            }
        let once = try Self.imported(text, capacity: 1)
        #expect(once.first.contains { $0.hasPrefix("activities") && !$0.contains("contact_id:NULL") })
        #expect(once.first.count > 1_000 && once.again.count > once.first.count)
        for capacity in [2, 3, 7, 64, CSVPendingRecords.defaultCapacity] {
            let batched = try Self.imported(text, capacity: capacity)
            #expect(batched.summaries == once.summaries, "capacity \(capacity)")
            #expect(batched.first == once.first, "capacity \(capacity): \(zip(batched.first, once.first).first { $0 != $1 }.map { "\($0)" } ?? "counts differ")")
            #expect(batched.again == once.again, "capacity \(capacity): \(zip(batched.again, once.again).first { $0 != $1 }.map { "\($0)" } ?? "counts differ")")
        }
    }
}
