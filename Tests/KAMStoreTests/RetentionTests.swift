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
        let settings = try RetentionSettings.parse(
            yaml: "default_model: x\nretention:\n  drafts_days: 30\n  payload_days: 7\n  events_days: 60\n", file: "kam.yaml")
        #expect(settings == RetentionSettings(draftsDays: 30, payloadDays: 7, eventsDays: 60))
        #expect(try RetentionSettings.parse(yaml: "default_model: x\n", file: "kam.yaml") == RetentionSettings())
        #expect(throws: ExportError.self) { try RetentionSettings.parse(yaml: "retention:\n  drafts_days: soon\n", file: "kam.yaml") }
    }

    /// Old events go once every consumer has read them; an event a consumer has not reached, one with a pending
    /// webhook delivery, the newest one and an open task's overdue mark stay, whatever their age.
    @Test func deletesOldEventsEveryConsumerHasRead() throws {
        let store = try ExportFixtures.store()
        func append(_ kind: String, subject: String, daysAgo: Double) throws -> Int64 {
            try store.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, 'acme', ?, '{}', ?)",
                    arguments: [kind, subject, now.addingTimeInterval(-daysAgo * day).timeIntervalSince1970])
                return db.lastInsertedRowID
            }
        }
        // The fixture's own events (its clients', ...) older than the window go too: every consumer is past them.
        let cutoff = now.addingTimeInterval(-180 * day).timeIntervalSince1970
        let oldBefore = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE occurred_at < ?", arguments: [cutoff]) ?? 0 }
        let read = try (0..<3).map { _ in try append("activity.logged", subject: "1", daysAgo: 400) }
        let pending = try append("draft.approved", subject: "d", daysAgo: 400)
        let task = try store.upsertTask(ClientTask(clientID: "acme", title: "Call back", due: now.addingTimeInterval(-300 * day)))
        let overdue = try append("task.overdue", subject: String(task.id), daysAgo: 300)
        let unread = try append("activity.logged", subject: "2", daysAgo: 300)
        let recent = try append("activity.logged", subject: "3", daysAgo: 10)
        func ids() throws -> [Int64] { try store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM events ORDER BY id") } }
        let events = EventRepository(store: store)
        for consumer in ["rules", "webhooks"] { _ = try events.cursor(of: consumer, now: now) }
        try events.advance("rules", to: recent, now: now)
        try events.advance("webhooks", to: overdue, now: now)  // the webhooks have not reached `unread`
        try store.writer.write { db in
            try db.execute(
                sql: "INSERT INTO webhook_subscriptions (id, url, events, secret, event_cursor, created_at) VALUES ('w', 'http://x', 'draft.approved', 's', 0, 0)")
            try db.execute(
                sql: "INSERT INTO webhook_deliveries (subscription_id, event_id, status, attempts, created_at) VALUES ('w', ?, 'pending', 0, 0)",
                arguments: [pending])
        }
        let outcome = try RetentionPolicy().apply(to: store, now: now)
        let left = try ids()
        #expect(outcome.eventsDeleted == oldBefore + 3)
        #expect(read.allSatisfy { !left.contains($0) })
        #expect([pending, overdue, unread, recent].allSatisfy { left.contains($0) })
        // The task done, its overdue mark goes too; the webhooks past `unread`, so does it.
        try store.writer.write { db in try db.execute(sql: "UPDATE tasks SET status = 'done' WHERE id = ?", arguments: [task.id]) }
        try events.advance("webhooks", to: recent, now: now)
        let second = try RetentionPolicy().apply(to: store, now: now)
        let after = try ids()
        #expect(!after.contains(overdue) && !after.contains(unread))
        #expect(after.contains(pending) && after.contains(recent))
        #expect(second.eventsDeleted == 2)
        // A window of 0 days, a second later: everything read goes (the task's own task.created too) but the pending
        // delivery's event and the newest.
        _ = try RetentionPolicy(eventsDays: 0).apply(to: store, now: now.addingTimeInterval(1))
        #expect(try ids() == [pending, recent])
    }
}
