import Foundation
import GRDB
import KAMCore
import KAMStore
import Testing

@Suite struct RetentionTests {
    let now = ExportFixtures.t0
    let day = 86_400.0

    @Test func deletesOldDraftsAndClearsOldPayloads() throws {
        let store = try ExportFixtures.store()
        try ExportFixtures.insert(ExportFixtures.draft("old", client: "acme", created: now.addingTimeInterval(-400 * day)), in: store)
        try ExportFixtures.insert(ExportFixtures.draft("recent", client: "acme", created: now.addingTimeInterval(-10 * day)), in: store)
        try store.writer.write { db in
            for (id, age) in [("<old@x>", 100.0), ("<new@x>", 10.0)] {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, analysis_prompt)
                        VALUES (?, 'acme', 'contact', 1, 'processed', ?, 'the prompt')
                        """,
                    arguments: [id, now.addingTimeInterval(-age * day).timeIntervalSince1970])
            }
        }
        let outcome = try RetentionPolicy().apply(to: store, now: now)
        #expect(outcome.draftsDeleted == 1)
        #expect(outcome.payloadsCleared == 1)
        let state = try store.writer.read { db in
            (
                drafts: try String.fetchAll(db, sql: "SELECT id FROM drafts"),
                oldEvents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM draft_events WHERE draft_id = 'old'"),
                oldPrompt: try String.fetchOne(db, sql: "SELECT analysis_prompt FROM inbound_emails WHERE message_id = '<old@x>'"),
                newPrompt: try String.fetchOne(db, sql: "SELECT analysis_prompt FROM inbound_emails WHERE message_id = '<new@x>'"),
                emails: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbound_emails")
            )
        }
        #expect(state.drafts == ["recent"])
        #expect(state.oldEvents == 0)
        #expect(state.oldPrompt == nil)
        #expect(state.newPrompt == "the prompt")
        #expect(state.emails == 2)
        // A shorter policy reaches the recent ones too.
        let strict = try RetentionPolicy(draftsDays: 5, payloadDays: 5).apply(to: store, now: now)
        #expect(strict.draftsDeleted == 1 && strict.payloadsCleared == 1)
    }

    @Test func settingsComeFromKamYaml() throws {
        let settings = try RetentionSettings.parse(yaml: "default_model: x\nretention:\n  drafts_days: 30\n  payload_days: 7\n", file: "kam.yaml")
        #expect(settings == RetentionSettings(draftsDays: 30, payloadDays: 7))
        #expect(try RetentionSettings.parse(yaml: "default_model: x\n", file: "kam.yaml") == RetentionSettings())
        #expect(throws: ExportError.self) { try RetentionSettings.parse(yaml: "retention:\n  drafts_days: soon\n", file: "kam.yaml") }
    }
}
