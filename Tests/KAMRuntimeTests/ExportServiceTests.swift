import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ExportServiceTests {
    static let key = Array(0..<32).map(UInt8.init)

    static func lines(_ directory: String, _ file: String = "train.jsonl") throws -> [String] {
        try String(contentsOfFile: directory + "/" + file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func onlyApprovedDraftsOfConsentingClientsAreWrittenAnonymized() async throws {
        let world = try await CRMTestWorld.demo()
        // acme and globex consented to training; umbrella did not; stark withheld even AI analysis.
        let approved = [try await world.draft("acme"), try await world.draft("globex"), try await world.draft("acme")]
        try await world.draft("acme", approve: false)
        let rejected = try await world.draft("globex", approve: false)
        try world.runtime.drafts.reject(rejected.id, reason: "off tone", as: .anonymous)
        try await world.draft("umbrella")
        try await world.draft("umbrella")

        let directory = CRMTestWorld.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try world.runtime.exports.dataset(
            ExportService.Request(format: .openAIChat, outputDirectory: directory),
            session: try AnonymizationSession(key: Self.key), as: ActingUser("maria"))

        #expect(report.committed && report.leakAudit.passed)
        #expect(report.draftsRead == 5)  // the approved ones only: three of consenting clients, two of umbrella
        #expect(report.examplesWritten == approved.count)
        #expect(report.consentExcluded == [.init(clientID: "umbrella", clientName: "Umbrella Health", drafts: 2)])
        let written = try Self.lines(directory)
        #expect(written.count == approved.count)
        let names = [
            "Acme Manufacturing", "Globex Logistics", "Umbrella Health", "Jane Smith", "jane.smith@acme.example",
            "Maria Lopez", "Tom Becker",
        ]
        for line in written {
            for name in names { #expect(!line.contains(name), "\(name) survived: \(line.prefix(200))") }
        }
        let recorded = try world.runtime.sqliteStore!.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, status, examples, consent_excluded FROM exports")
        }
        #expect(recorded?["user_id"] == "maria")
        #expect(recorded?["status"] == "committed")
        #expect(recorded?["examples"] == approved.count)
        #expect(recorded?["consent_excluded"] == 2)
    }

    @Test func theLeakAuditRefusesADatasetWhereANameSurvives() async throws {
        let world = try await CRMTestWorld.demo()
        // A made-up lower-case company: only the store's own names would catch it, not a general detector.
        try world.runtime.clients.add(
            id: "quendrix", ClientService.Fields(name: "quendrix", consentTraining: true), as: .anonymous)
        try await world.draft("acme")
        try await world.draft("acme", body: "We compared your plan with what quendrix runs in their plants.")
        let session = try AnonymizationSession(key: Self.key)
        let directory = CRMTestWorld.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let refused = try world.runtime.exports.dataset(
            ExportService.Request(format: .openAIChat, outputDirectory: directory, anonymizeKnownNames: false),
            session: session, as: .anonymous)
        #expect(!refused.committed)
        #expect(!refused.leakAudit.passed)
        let hit = try #require(refused.leakAudit.hits.first { $0.owner == "quendrix" })
        #expect(hit.file == "train.jsonl" && hit.line == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "nothing is written")
        let status = try await world.runtime.sqliteStore!.writer.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM exports")
        }
        #expect(status == "failed-leak-audit")

        // The same drafts with the store's names replaced pass, and the name is gone from the file.
        let passed = try world.runtime.exports.dataset(
            ExportService.Request(format: .openAIChat, outputDirectory: directory), session: session, as: .anonymous)
        #expect(passed.committed)
        #expect(try Self.lines(directory).count == 2)
        #expect(try Self.lines(directory).allSatisfy { !$0.contains("quendrix") })
    }

    @Test func filtersAndSplitReachTheExporter() async throws {
        let world = try await CRMTestWorld.demo()
        for _ in 0..<4 { try await world.draft("acme") }
        world.clock.advance(days: 10)
        var recent: [Draft] = []
        for _ in 0..<8 { recent.append(try await world.draft("globex")) }
        let directory = CRMTestWorld.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let report = try world.runtime.exports.dataset(
            ExportService.Request(
                format: .bedrock, outputDirectory: directory,
                filters: ExportFilters(since: world.now, split: DatasetSplit(trainFraction: 0.5, seed: 3))),
            session: try AnonymizationSession(key: Self.key), as: .anonymous)
        #expect(report.draftsRead == recent.count)
        #expect(report.trainExamples + report.validationExamples == recent.count)
        let split = DatasetSplit(trainFraction: 0.5, seed: 3)
        #expect(report.trainExamples == recent.filter { split.isTraining($0.id) }.count)
        #expect(try Self.lines(directory).count == report.trainExamples)
        #expect(try Self.lines(directory, "validation.jsonl").count == report.validationExamples)
    }

    @Test func anUnwritableFolderIsAnExportError() async throws {
        let world = try await CRMTestWorld.demo()
        let file = CRMTestWorld.temporaryDirectory()
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(throws: ExportError.self) {
            try world.runtime.exports.dataset(
                ExportService.Request(format: .openAIChat, outputDirectory: file + "/sub"),
                session: try AnonymizationSession(key: Self.key), as: .anonymous)
        }
    }
}
