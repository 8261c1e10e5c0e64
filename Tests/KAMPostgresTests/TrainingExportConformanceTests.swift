import Foundation
import GRDB
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// A training export from PostgreSQL is the export from SQLite: one SQLite store of approved drafts (most clients
/// consenting, some feedback), copied whole into PostgreSQL (`StoreCopy`), exported from each with one key; the files
/// are the same bytes, the reports the same, and each store records its run.
@Suite("Training export conformance")
struct TrainingExportConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// 40 synthetic approved drafts, and feedback on four of them (two up only, one up and down, one down).
    static func source() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { t0 })
        _ = try SyntheticApprovedDrafts.generate(count: 40, into: store)
        let drafts = DraftRepository(store: store)
        let ids = try drafts.list(limit: 1_000).map(\.id).sorted()
        for (id, ratings) in [(ids[0], [FeedbackRating.up]), (ids[5], [.up, .up]), (ids[9], [.up, .down]), (ids[12], [.down])] {
            for rating in ratings { try drafts.addFeedback(draftID: id, rating: rating, reason: nil, user: "u1", at: t0) }
        }
        return store
    }

    /// Exports from `source` into a new folder: the report and the bytes of each file it wrote, by name.
    static func export(_ source: any TrainingExportSource, format: ExportFormat, filters: ExportFilters) throws
        -> (ExportReport, [String: [UInt8]])
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-export-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try TrainingExporter(source: source, prices: try PriceTable.bundled()).run(
            .init(format: format, outputDirectory: folder, filters: filters, userID: "u1"),
            session: try AnonymizationSession(key: Array("export-conformance-key-0123456789".utf8)))
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".jsonl") {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
        return (report, files)
    }

    @Test(
        "the same files and report from SQLite and PostgreSQL, for each format and filter; each store records its run",
        arguments: [
            (ExportFormat.openAIChat, ExportFilters()), (.openAIChat, ExportFilters(minimumFeedbackUp: true)),
            (.preference, ExportFilters()), (.bedrock, ExportFilters(promptID: "nothing-by-this-id")),
        ])
    func sameExport(format: ExportFormat, filters: ExportFilters) async throws {
        let sqlite = try Self.source()
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        try await withTearDown(database, { try? await PostgresTestServer.drop(database) }) { database in
            _ = try StoreCopy.copy(from: sqlite, to: database)
            let postgres = PostgresTrainingExportSource(store: database, now: { Self.t0 })
            #expect(try postgres.exportDirectory() == sqlite.exportDirectory())
            let (fromSQLite, sqliteFiles) = try Self.export(sqlite, format: format, filters: filters)
            let (fromPostgres, postgresFiles) = try Self.export(postgres, format: format, filters: filters)
            #expect(postgresFiles == sqliteFiles)
            #expect(fromPostgres.draftsRead == fromSQLite.draftsRead)
            #expect(fromPostgres.examplesWritten == fromSQLite.examplesWritten)
            #expect(fromPostgres.belowFeedback == fromSQLite.belowFeedback)
            #expect(fromPostgres.consentExcluded == fromSQLite.consentExcluded)
            #expect(fromPostgres.rejectedCount == fromSQLite.rejectedCount)
            #expect(fromPostgres.files.map(\.sha256) == fromSQLite.files.map(\.sha256))
            if filters.promptID == nil {
                #expect(fromSQLite.examplesWritten > 0, "the fixture exports something")
            } else {
                #expect(fromSQLite.draftsRead == 0)
            }
            if filters.minimumFeedbackUp {
                // Two drafts have thumbs up and none down; the others (consenting) are left out.
                #expect(fromSQLite.belowFeedback > 0 && fromSQLite.examplesWritten <= 2 && fromSQLite.examplesWritten > 0)
            }
            // Each store recorded its own run, and only it.
            #expect(try await database.strings("SELECT status || ' ' || user_id || ' ' || format FROM exports") == [
                "committed u1 \(format.rawValue)"
            ])
            let sqliteRuns = try await sqlite.writer.read { try String.fetchAll($0, sql: "SELECT status || ' ' || user_id FROM exports") }
            #expect(sqliteRuns == ["committed u1"])
        }
    }
}
