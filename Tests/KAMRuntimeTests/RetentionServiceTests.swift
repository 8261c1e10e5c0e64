import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct RetentionServiceTests {
    /// Stored email analyses received `ages` days before the world's clock, each with its prompt kept.
    static func emails(_ ages: [Int], in world: CRMTestWorld) throws {
        try world.runtime.sqliteStore!.writer.write { db in
            for age in ages {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, analysis_prompt)
                        VALUES (?, 'acme', 'contact', 1, 'processed', ?, 'the prompt')
                        """,
                    arguments: [
                        "<\(age)@acme.example>",
                        world.now.addingTimeInterval(-Double(age) * 86_400).timeIntervalSince1970,
                    ])
            }
        }
    }

    /// The message ids whose analysis prompt is still stored.
    static func keptPrompts(_ world: CRMTestWorld) throws -> Set<String> {
        try world.runtime.sqliteStore!.writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT message_id FROM inbound_emails WHERE analysis_prompt IS NOT NULL"))
        }
    }

    @Test func onlyDraftsAndPayloadsOlderThanTheWindowGo() async throws {
        let world = try await CRMTestWorld.demo()
        // One draft every two days: ages 10, 8, 6, 4, 2 and 0 days when the sweep runs.
        var ages: [String: Int] = [:]
        for age in stride(from: 10, through: 0, by: -2) {
            ages[try await world.draft(age.isMultiple(of: 4) ? "acme" : "globex", approve: age > 5).id] = age
            if age > 0 { world.clock.advance(days: 2) }
        }
        try Self.emails([1, 3, 7, 30, 31], in: world)

        for window in [12, 7, 5, 4, 1, 0] {
            let sweep = try world.runtime.retention.apply(draftsDays: window, payloadDays: window + 25, as: .anonymous)
            #expect(sweep.policy == RetentionPolicy(draftsDays: window, payloadDays: window + 25))
            // A draft exactly `window` days old is kept: only older ones go.
            let kept = Set(try world.runtime.drafts.list(as: .anonymous).map(\.id))
            #expect(kept == Set(ages.filter { $0.value <= window }.keys), "window \(window)")
            for id in ages.keys where !kept.contains(id) {
                #expect(try world.runtime.drafts.history(id, as: .anonymous).isEmpty, "draft \(id)'s events go with it")
            }
            #expect(
                try Self.keptPrompts(world)
                    == Set([1, 3, 7, 30, 31].filter { $0 <= window + 25 }.map { "<\($0)@acme.example>" }))
        }
        // The emails themselves stay; only their prompts are cleared.
        let emails = try await world.runtime.sqliteStore!.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound_emails")
        }
        #expect(emails == 5)
    }

    @Test func theSweepCountsWhatItRemoved() async throws {
        let world = try await CRMTestWorld.demo()
        for _ in 0..<3 { try await world.draft("acme") }
        world.clock.advance(days: 400)
        try await world.draft("acme")
        try Self.emails([89, 91, 120], in: world)
        let sweep = try world.runtime.retention.apply(as: .anonymous)
        // Nothing configured: 365 days for drafts, 90 for payloads.
        #expect(sweep.policy == RetentionPolicy(draftsDays: 365, payloadDays: 90))
        #expect(sweep.outcome.draftsDeleted == 3)
        #expect(sweep.outcome.payloadsCleared == 2)
        #expect(sweep.outcome.draftsCutoff == world.now.addingTimeInterval(-365 * 86_400))
        let again = try world.runtime.retention.apply(as: .anonymous)
        #expect(again.outcome.draftsDeleted == 0 && again.outcome.payloadsCleared == 0)
    }

    @Test func windowsComeFromKamYamlAndABadOneIsAConfigurationError() async throws {
        let directory = CRMTestWorld.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func runtime(_ yaml: String, file name: String = "kam.yaml") async throws -> Runtime {
            let file = directory + "/" + name
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
            return try await Runtime.open(
                RuntimeOptions(configurationFile: file, environment: [:], now: { CRMTestWorld.start }),
                store: try ClientStore.inMemory(now: { CRMTestWorld.start }))
        }
        let configured = try await runtime("retention:\n  drafts_days: 30\n")
        #expect(try configured.retention.settings() == RetentionSettings(draftsDays: 30))
        #expect(
            try configured.retention.apply(as: .anonymous).policy == RetentionPolicy(draftsDays: 30, payloadDays: 90))
        // An argument wins over the file.
        #expect(try configured.retention.apply(draftsDays: 2, as: .anonymous).policy.draftsDays == 2)

        for (yaml, field) in [
            ("retention:\n  drafts_days: -1\n", "drafts_days"), ("retention:\n  payload_days: soon\n", "payload_days"),
        ] {
            let invalid = try await runtime(yaml, file: "\(field).yaml")
            #expect {
                try invalid.retention.apply(as: .anonymous)
            } throws: { error in
                let issue = (error as? ConfigurationError)?.issues.first?.description
                return issue
                    == "\(directory)/\(field).yaml: retention.\(field) must be a whole number of days (0 or more)"
            }
        }
        #expect {
            try configured.retention.apply(payloadDays: -1, as: .anonymous)
        } throws: { ($0 as? RuntimeError)?.code == "retention.invalid-days" }
    }
}
