import Foundation
import GRDB
import KAMCore
import KAMResources
import KAMStore
import Testing

@Suite struct ExportTests {
    func run(
        _ store: ClientStore, format: ExportFormat, directory: String, filters: ExportFilters = .init(),
        known: Bool = true
    ) throws -> ExportReport {
        try TrainingExporter(store: store, prices: try PriceTable.bundled()).run(
            .init(format: format, outputDirectory: directory, filters: filters, userID: "maria", useKnownEntities: known),
            session: try ExportFixtures.key())
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test(arguments: ExportFormat.allCases)
    func demoLikeStoreExportsAndValidates(format: ExportFormat) throws {
        let store = try ExportFixtures.demoLike()
        let dir = ExportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try run(store, format: format, directory: dir)
        #expect(report.committed)
        #expect(report.leakAudit.passed)
        #expect(report.draftsRead == 3)  // d4 is pending
        // Preference pairs come only from the edited draft.
        #expect(report.examplesWritten == (format == .preference ? 1 : 2))
        #expect(report.rejected.isEmpty)
        #expect(report.consentExcluded == [.init(clientID: "umbrella", clientName: "Umbrella Health", drafts: 1)])
        let written = try lines(dir + "/train.jsonl")
        #expect(written.count == report.examplesWritten)
        let validator = FineTuningValidator(format: format, tokenizer: try Tokenizer(encoding: .o200kBase), tokenLimit: 128_000)
        for line in written {
            let check = validator.check(try JSONParser.parse(line))
            #expect(check.isValid, "\(check.issues)")
            for secret in ["Jane Doe", "jane.doe@acme-mfg.example", "Maria Lopez", "Acme Manufacturing", "555 0134"] {
                #expect(!line.contains(secret))
            }
        }
        #expect(report.tokens.count == report.examplesWritten)
        #expect(report.tokens.min > 0 && report.tokens.min <= report.tokens.p50 && report.tokens.p95 <= report.tokens.max)
        #expect(report.estimatedCostPerEpochUSD ?? 0 > 0)
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(Set(entries) == ["train.jsonl", "report.json"])
        let reportJSON = try JSONParser.parse(try String(contentsOfFile: dir + "/report.json", encoding: .utf8))
        #expect(reportJSON["leakAudit"]?["passed"] == .bool(true))
        #expect(report.files.first?.sha256 == ContentHasher.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/train.jsonl")))))
        let audit = try store.writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM exports")! }
        #expect(audit["format"] as String == format.rawValue)
        #expect(audit["user_id"] as String == "maria")
        #expect(audit["status"] as String == "committed")
        #expect(audit["key_id"] as String == (try ExportFixtures.key()).keyID)
        #expect((audit["files"] as String).contains(report.files[0].sha256))
    }

    @Test func formatsHaveTheirShapes() throws {
        let store = try ExportFixtures.demoLike()
        var shapes: [ExportFormat: JSONValue] = [:]
        for format in ExportFormat.allCases {
            let dir = ExportFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            _ = try run(store, format: format, directory: dir)
            shapes[format] = try JSONParser.parse(try lines(dir + "/train.jsonl").last!)
        }
        let chat = try #require(shapes[.openAIChat]?["messages"]?.arrayValue)
        #expect(chat.map { $0["role"]?.stringValue } == ["system", "user", "assistant"])
        let answer = try JSONParser.parse(try #require(chat.last?["content"]?.stringValue))
        #expect(answer["body"]?.stringValue?.contains("walking us through the plant") == true)  // the person's edit
        let pair = try #require(shapes[.preference])
        #expect(pair["input"]?["messages"]?.arrayValue?.count == 2)
        let preferred = try #require(pair["preferred_output"]?.arrayValue?.first?["content"]?.stringValue)
        let rejected = try #require(pair["non_preferred_output"]?.arrayValue?.first?["content"]?.stringValue)
        #expect(preferred.contains("walking us through the plant"))
        #expect(rejected.contains("inspection walk-through"))
        let bedrock = try #require(shapes[.bedrock])
        #expect(bedrock["system"]?.stringValue?.contains("follow-up emails") == true)
        #expect(bedrock["messages"]?.arrayValue?.map { $0["role"]?.stringValue } == ["user", "assistant"])
    }

    @Test func plantedLeakFailsTheAuditAndWritesNothing() throws {
        let store = try ExportFixtures.store()
        // A made-up lowercase company: no general detector sees a name in it; only the store's dictionary would.
        _ = try store.upsertClient(Client(id: "quendrix", name: "quendrix", consentTraining: true, createdAt: ExportFixtures.t0))
        try ExportFixtures.insert(ExportFixtures.draft("d1", client: "acme"), in: store)
        try ExportFixtures.insert(
            ExportFixtures.draft("d2", client: "acme", body: "We compared your plan with what quendrix runs in their plants."),
            in: store)
        let dir = ExportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let failed = try run(store, format: .openAIChat, directory: dir, known: false)
        #expect(!failed.committed)
        #expect(!failed.leakAudit.passed)
        let hit = try #require(failed.leakAudit.hits.first { $0.owner == "quendrix" })
        #expect(hit.kind == .clientName)
        #expect(hit.file == "train.jsonl")
        #expect(hit.line == 2)
        #expect(!hit.masked.contains("quendrix"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        let status = try store.writer.read { db in try String.fetchOne(db, sql: "SELECT status FROM exports") }
        #expect(status == "failed-leak-audit")
        #expect(failed.summary.contains("train.jsonl:2"))

        // With the store's dictionary on, the same data is anonymized and passes.
        let passed = try run(store, format: .openAIChat, directory: dir)
        #expect(passed.committed)
        #expect(try !String(contentsOfFile: dir + "/train.jsonl", encoding: .utf8).contains("quendrix"))
    }

    @Test func splitIsDeterministicWithTheSeed() throws {
        let store = try ExportFixtures.store()
        for i in 0..<40 {
            try ExportFixtures.insert(
                ExportFixtures.draft("d\(i)", client: "acme", created: ExportFixtures.t0.addingTimeInterval(Double(i))), in: store)
        }
        func export(seed: UInt64) throws -> (train: [String], validation: [String]) {
            let dir = ExportFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let report = try run(
                store, format: .openAIChat, directory: dir,
                filters: ExportFilters(split: DatasetSplit(trainFraction: 0.75, seed: seed)))
            #expect(report.trainExamples + report.validationExamples == 40)
            return (try lines(dir + "/train.jsonl"), try lines(dir + "/validation.jsonl"))
        }
        let a = try export(seed: 7), b = try export(seed: 7), c = try export(seed: 8)
        #expect(a.train == b.train && a.validation == b.validation)
        #expect(!a.validation.isEmpty && a.train.count > a.validation.count)
        let ids = (0..<40).map { "d\($0)" }
        let split7 = ids.filter { DatasetSplit(trainFraction: 0.75, seed: 7).isTraining($0) }
        let split8 = ids.filter { DatasetSplit(trainFraction: 0.75, seed: 8).isTraining($0) }
        #expect(split7 != split8)
        #expect(a.train.count == split7.count && c.train.count == split8.count)
    }

    @Test func minimumFeedbackKeepsOnlyThumbsUp() throws {
        let store = try ExportFixtures.demoLike()
        let repo = DraftRepository(store: store)
        try repo.addFeedback(draftID: "d1", rating: .up, reason: nil, user: "maria", at: ExportFixtures.t0)
        try repo.addFeedback(draftID: "d2", rating: .down, reason: "too long", user: "maria", at: ExportFixtures.t0)
        let dir = ExportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try run(store, format: .openAIChat, directory: dir, filters: ExportFilters(minimumFeedbackUp: true))
        #expect(report.examplesWritten == 1)
        #expect(report.belowFeedback == 1)
    }

    @Test func unusablePromptMessagesAreRejectedWithTheReason() throws {
        let store = try ExportFixtures.store()
        var broken = ExportFixtures.draft("bad", client: "acme")
        broken.promptMessages = "{\"not\": \"an array\"}"
        try ExportFixtures.insert(broken, in: store)
        try ExportFixtures.insert(ExportFixtures.draft("good", client: "acme"), in: store)
        let dir = ExportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = try run(store, format: .bedrock, directory: dir)
        #expect(report.committed)
        #expect(report.examplesWritten == 1)
        #expect(report.rejected.map(\.draftID) == ["bad"])
        #expect(report.rejectedCount == 1 && report.rejectedByCode["export.unusable-prompt-messages"] == 1)
        #expect(report.rejected.first?.reasons.first?.contains("not a JSON array") == true)
    }
}
