import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// The `weekly-export` job (#16 item 7): the past week's approved drafts exported into `exports.weekly_folder`,
/// anonymized with the configured key and leak-audited, recorded in the exports audit table.
@Suite struct WeeklyExportTests {
    typealias World = IntelligenceRequestServiceTests

    /// A folder of its own for one test, with an anonymization key file in it.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-weekly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n".utf8)
            .write(to: folder.appendingPathComponent("anon.key"))
        return folder
    }

    static func configuration(_ folder: URL, key: Bool = true) throws -> KAMConfiguration {
        var text = "exports:\n  weekly_folder: weekly\n"
        if key { text += "  key_file: anon.key\n" }
        return try KAMConfiguration.parse(text, file: folder.appendingPathComponent("kam.yaml").path)
    }

    @Test("the week's approved drafts go to <folder>/<ISO week>/ with the key, and the run is in the exports table")
    func writesTheWeekIntoItsFolder() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try World.store()
        let runtime = try await World.runtime(store, configuration: try Self.configuration(folder))
        let draft = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: .anonymous)
        try runtime.drafts.approve(draft.id, as: .anonymous)
        let exportsBefore = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exports") ?? 0 }

        let slot = World.now.addingTimeInterval(3600)  // 2026-09-21 (ISO week 39), an hour after the draft
        let report = try #require(try runtime.exports.weekly(slot: slot))
        #expect(report.committed)
        #expect(report.draftsRead >= 1)
        let week = folder.appendingPathComponent("weekly/2026-W39")
        for name in ["train.jsonl", "report.json"] {
            #expect(FileManager.default.fileExists(atPath: week.appendingPathComponent(name).path), "\(name)")
        }
        let exportsAfter = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM exports") ?? 0 }
        #expect(exportsAfter == exportsBefore + 1)
        // The key is the file's, not a random one: the same key id as a session made from that file.
        let session = try AnonymizationSession(
            key: AnonymizationKey.bytes(try Data(contentsOf: folder.appendingPathComponent("anon.key"))))
        #expect(report.keyID == session.keyID)

        // A slot eight days later finds no draft of its week: an export of nothing, still recorded.
        let later = try #require(try runtime.exports.weekly(slot: slot.addingTimeInterval(8 * 86_400)))
        #expect(later.draftsRead == 0)
    }

    @Test("without a folder the job writes nothing; with a folder but no key it fails naming both ways to give one")
    func noFolderNothingNoKeyRefused() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = try await World.runtime(try World.store())
        #expect(try plain.exports.weekly(slot: World.now) == nil)
        let runs = try await plain.jobs.runNow(.weeklyExport, owner: "test", as: .anonymous)
        #expect(runs.map(\.counts) == [["written": 0]])

        let keyless = try await World.runtime(try World.store(), configuration: try Self.configuration(folder, key: false))
        #expect { try keyless.exports.weekly(slot: World.now) } throws: { error in
            let error = error as? RuntimeError
            return error?.code == "export.no-key" && error?.message.contains("KAM_ANON_KEY") == true
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("weekly").path))
    }
}
