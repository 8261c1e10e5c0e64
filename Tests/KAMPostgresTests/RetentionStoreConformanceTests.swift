import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The retention sweep, written once and run against SQLite and PostgreSQL: what a policy removes (old drafts with
/// their events and feedback, old analysis prompts, events every consumer has read, old skipped rule executions),
/// what it keeps, and two processes sweeping at once.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Retention store conformance")
struct RetentionStoreConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// Unix seconds `days` before `now`.
    static func ago(_ days: Double) -> String { String(now.timeIntervalSince1970 - days * 86_400) }

    /// Rows of every age, in statements both stores take as they are: drafts of 400 and 10 days (the old one with an
    /// event and feedback), emails analysed 100 and 10 days ago, four events (three of 400 days, the newest of 10) a
    /// consumer has read, skipped rule executions of 40 and 10 days and a fired one of 40.
    static let seed = [
        """
        INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, prompt_id, prompt_version, prompt_hash,
            provider, model, is_offline, document)
        VALUES ('old', 'acme', 'email', 'pending', \(ago(400)), \(ago(400)), 'p', '1', 'h', 'offline', 'm', TRUE, '{}'),
            ('recent', 'acme', 'email', 'pending', \(ago(10)), \(ago(10)), 'p', '1', 'h', 'offline', 'm', TRUE, '{}')
        """,
        "INSERT INTO draft_events (draft_id, at, action, to_status) VALUES ('old', \(ago(400)), 'created', 'pending')",
        "INSERT INTO draft_feedback (draft_id, rating, at) VALUES ('old', 'bad', \(ago(399)))",
        """
        INSERT INTO inbound_emails (message_id, client_id, "match", confidence, status, received_at, analysis_prompt)
        VALUES ('<old@x>', 'acme', 'contact', 1, 'processed', \(ago(100)), 'the prompt'),
            ('<new@x>', 'acme', 'contact', 1, 'processed', \(ago(10)), 'the prompt')
        """,
        """
        INSERT INTO events (kind, client_id, subject_id, payload, occurred_at)
        VALUES ('activity.logged', 'acme', '1', '{}', \(ago(400))), ('activity.logged', 'acme', '2', '{}', \(ago(400))),
            ('activity.logged', 'acme', '3', '{}', \(ago(400))), ('activity.logged', 'acme', '4', '{}', \(ago(10)))
        """,
        // One consumer, past every event (a store may start with its consumers' cursors at 0).
        "DELETE FROM event_cursors",
        "INSERT INTO event_cursors (consumer, event_id, updated_at) SELECT 'rules', MAX(id), \(ago(1)) FROM events",
        """
        INSERT INTO rule_executions (rule, cause, client_id, chain_depth, status, conditions, actions, started_at,
            duration_ms)
        VALUES ('r', 'c1', 'acme', 0, 'skipped', '[]', '[]', \(ago(40)), 1),
            ('r', 'c2', 'acme', 0, 'skipped', '[]', '[]', \(ago(10)), 1),
            ('r', 'c3', 'acme', 0, 'fired', '[]', '[]', \(ago(40)), 1)
        """,
    ]

    static func seeded(_ world: InboxWorld) async throws {
        for statement in seed { try await world.execute(statement) }
    }

    /// The default policy's outcome at `now` with these counts.
    static func outcome(drafts: Int, payloads: Int, events: Int, skippedRules: Int) -> RetentionPolicy.Outcome {
        var outcome = RetentionPolicy().outcome(at: now)
        (outcome.draftsDeleted, outcome.payloadsCleared) = (drafts, payloads)
        (outcome.eventsDeleted, outcome.skippedRulesDeleted) = (events, skippedRules)
        return outcome
    }

    @Test("a sweep removes what the policy says and keeps the rest", arguments: StoreBackend.allCases)
    func sweep(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await Self.seeded(world)
            let outcome = try world.first.retention.apply(RetentionPolicy(), at: Self.now)
            #expect(outcome == Self.outcome(drafts: 1, payloads: 1, events: 3, skippedRules: 1))
            #expect(try await world.strings("SELECT id FROM drafts") == ["recent"])
            #expect(try await world.count("draft_events") == 0)
            #expect(try await world.count("draft_feedback") == 0)
            #expect(
                try await world.strings(
                    "SELECT message_id || ' ' || COALESCE(analysis_prompt, '-') FROM inbound_emails ORDER BY message_id"
                ) == ["<new@x> the prompt", "<old@x> -"])
            #expect(try await world.strings("SELECT subject_id FROM events ORDER BY id") == ["4"])
            #expect(try await world.strings("SELECT cause FROM rule_executions ORDER BY cause") == ["c2", "c3"])
            // Swept again, nothing is left to remove; a shorter policy reaches the recent rows.
            let again = try world.handles[1].retention.apply(RetentionPolicy(), at: Self.now)
            #expect(again == Self.outcome(drafts: 0, payloads: 0, events: 0, skippedRules: 0))
            let strict = try world.handles[1].retention.apply(
                RetentionPolicy(draftsDays: 5, payloadDays: 5, eventsDays: 5, skippedRulesDays: 5), at: Self.now)
            #expect(strict.draftsDeleted == 1 && strict.payloadsCleared == 1 && strict.skippedRulesDeleted == 1)
            // The newest event stays whatever its age.
            #expect(strict.eventsDeleted == 0)
        }
    }

    @Test("an event a consumer has not read stays, whatever its age", arguments: StoreBackend.allCases)
    func unreadEventsStay(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await Self.seeded(world)
            try await world.execute(
                """
                INSERT INTO event_cursors (consumer, event_id, updated_at)
                SELECT 'webhooks', MIN(id), \(Self.ago(1)) FROM events
                """)
            let outcome = try world.first.retention.apply(RetentionPolicy(), at: Self.now)
            #expect(outcome.eventsDeleted == 1)
            #expect(try await world.strings("SELECT subject_id FROM events ORDER BY id") == ["2", "3", "4"])
        }
    }

    @Test("of sweeps racing over two handles, one removes the old rows and the others find none", arguments: StoreBackend.allCases)
    func sweepsRace(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await Self.seeded(world)
            let outcomes = await OnThreads.values(4) { index in
                Result { try world.handles[index % 2].retention.apply(RetentionPolicy(), at: Self.now) }
            }
            let done = outcomes.compactMap { try? $0.get() }
            try #require(done.count == 4, "\(outcomes)")
            #expect(
                done.sorted { $0.eventsDeleted < $1.eventsDeleted } == [
                    Self.outcome(drafts: 0, payloads: 0, events: 0, skippedRules: 0),
                    Self.outcome(drafts: 0, payloads: 0, events: 0, skippedRules: 0),
                    Self.outcome(drafts: 0, payloads: 0, events: 0, skippedRules: 0),
                    Self.outcome(drafts: 1, payloads: 1, events: 3, skippedRules: 1),
                ])
            #expect(try await world.count("events") == 1)
        }
    }
}
