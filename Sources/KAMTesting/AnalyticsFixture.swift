import Foundation
import GRDB
import KAMCore
import KAMStore

/// A hand-made store for the analytics reads (`AnalyticsReading`): each record placed on one side of a boundary of
/// `day` (its start and end, the 365 days of orders, the 30-day answer window, an `until` at 02:00), with drafts and
/// suggestions of every status, JSON documents with and without the keys read (an `edited` of JSON null, evidence
/// with several rules, an unknown status or type), so `AnalyticsFactsTests` can compute the figures by hand and the
/// conformance suite can copy it into PostgreSQL and compare.
///
/// Users `leo` and `sven`; clients `a` and `b` (leo's), `c` (sven's), `d` (no owner).
///
/// For example:
/// ```swift
/// let store = try AnalyticsFixture.store()   // in memory, its clock at the day's end
/// ```
public enum AnalyticsFixture {
    public static let day = AnalyticsDay(name: "2026-12-04")!

    /// The time `hours` after the day's start (before it when negative), in Unix seconds.
    public static func t(_ hours: Double) -> Double { day.start.timeIntervalSince1970 + hours * 3600 }

    /// The same as a date.
    public static func at(_ hours: Double) -> Date { Date(timeIntervalSince1970: t(hours)) }

    /// A fresh store in memory holding the fixture, its clock at the day's end.
    public static func store() throws -> ClientStore {
        let store = try ClientStore.inMemory(now: { day.end })
        try seed(into: store)
        return store
    }

    /// Writes the fixture's rows into `store` (a fresh one), in one transaction.
    public static func seed(into store: ClientStore) throws {
        try store.writer.write { db in
            for user in ["leo", "sven"] {
                try db.execute(
                    sql: "INSERT INTO users (id, name, email) VALUES (?, ?, ?)",
                    arguments: [user, user, "\(user)@kam.example"])
            }
            for (client, owner) in [("a", "leo"), ("b", "leo"), ("c", "sven"), ("d", nil)] as [(String, String?)] {
                try db.execute(
                    sql: """
                        INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training, lifecycle,
                          lead_status, created_at, updated_at)
                        VALUES (?, ?, 'standard', 'USD', ?, 1, 1, 'active', 'won', 0, 0)
                        """,
                    arguments: [client, client.uppercased(), owner])
            }
            func score(_ client: String, _ at: Double, _ band: String) throws {
                try db.execute(
                    sql:
                        "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, 50, ?, '[]')",
                    arguments: [client, t(at), band])
            }
            try score("a", -30, "good")
            try score("a", 10, "critical")
            try score("a", 30, "excellent")  // after the day
            try score("b", -100, "excellent")
            try score("c", 25, "at-risk")  // after the day: c has no score then
            try score("d", 1, "at-risk")
            func deal(
                _ client: String, _ amount: Double, _ stage: String, _ entered: Double, history: [(String, Double)]
            ) throws {
                try db.execute(
                    sql: """
                        INSERT INTO deals (client_id, name, stage, amount, currency, probability, stage_entered_at)
                        VALUES (?, 'deal', ?, ?, 'USD', 0.5, ?)
                        """,
                    arguments: [client, stage, amount, t(entered)])
                let id = db.lastInsertedRowID
                for (stage, at) in history {
                    try db.execute(
                        sql: "INSERT INTO deal_stage_history (deal_id, stage, entered_at) VALUES (?, ?, ?)",
                        arguments: [id, stage, t(at)])
                }
            }
            // In proposal at the day's end, in negotiation since the next day.
            try deal(
                "a", 1000, "negotiation", 30, history: [("prospecting", -50), ("proposal", 5), ("negotiation", 30)])
            // Won during the day by a client that had won before: an expansion.
            try deal("a", 700, "closed-won", 12, history: [("proposal", -40), ("closed-won", 12)])
            try deal("a", 200, "closed-won", -200, history: [("closed-won", -200)])
            try deal("c", 90, "closed-lost", 3, history: [("qualification", -10), ("closed-lost", 3)])
            // No history: its own stage when it entered it before the day's end.
            try deal("b", 55, "prospecting", -5, history: [])
            try deal("b", 66, "qualification", 26, history: [])
            func event(_ kind: String, _ client: String, _ payload: String, _ at: Double) throws {
                try db.execute(
                    sql:
                        "INSERT INTO events (kind, client_id, subject_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [kind, client, client, payload, t(at)])
            }
            try event("client.updated", "c", #"{"fields": ["lifecycle"], "lifecycle": "churned"}"#, 8)
            try event("client.updated", "b", #"{"fields": ["tier"], "lifecycle": "churned"}"#, 9)  // already churned
            try event("client.updated", "a", #"{"fields": ["lifecycle"], "lifecycle": "churned"}"#, -20)  // the day before
            try event("suggestion.accepted", "a", #"{"type": "follow-up"}"#, 5)
            try event("suggestion.dismissed", "c", #"{"type": "upsell"}"#, 6)
            try event("suggestion.accepted", "c", #"{"type": "upsell"}"#, 25)  // the next day
            for (amount, at) in [(400.0, -24.0 * 100), (100, -24.0 * 400), (50, 9)] {
                try db.execute(
                    sql: """
                        INSERT INTO orders (client_id, product, quantity, amount, currency, ordered_at, status)
                        VALUES ('c', 'p', 1, ?, 'USD', ?, 'delivered')
                        """,
                    arguments: [amount, t(at)])
            }
            func email(_ client: String, _ received: Double) throws {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at)
                        VALUES (?, ?, 'domain', 1, 'processed', ?)
                        """,
                    arguments: ["<\(client)\(received)@x>", client, t(received)])
            }
            func activity(_ client: String, _ kind: String, _ at: Double) throws {
                try db.execute(
                    sql:
                        "INSERT INTO activities (client_id, kind, direction, occurred_at) VALUES (?, ?, 'outbound', ?)",
                    arguments: [client, kind, t(at)])
            }
            try email("a", -3)  // answered at 2: 5 hours
            try email("a", 4)  // answered at 6: 2 hours
            try activity("a", "email", 2)
            try activity("a", "email", 6)
            try email("c", 20)  // a call is not an answer by email
            try activity("c", "call", 21)
            try email("b", -30)  // answered the day before
            try activity("b", "email", -29)
            for (user, cost, at) in [
                ("leo", 250_000_000_000, 1.0), ("leo", nil, 2), (nil, 1_000_000_000_000, 3), ("leo", 7, -1),
            ]
                as [(String?, Int64?, Double)]
            {
                try db.execute(
                    sql: """
                        INSERT INTO model_calls (id, called_at, user_id, provider, requested_model, attempts, input_tokens,
                          output_tokens, cached_input_tokens, cache_creation_input_tokens, cost_picousd, latency_ms, outcome, offline)
                        VALUES (?, ?, ?, 'offline', 'm', 1, 1, 1, 0, 0, ?, 1, 'success', 1)
                        """,
                    arguments: ["call-\(at)", t(at), user, cost])
            }
            try drafts(db)
            try suggestions(db)
            for (client, priority, at) in [("c", "high", 2.0), ("d", "low", 3), ("c", "urgent", -2)] {
                try db.execute(
                    sql: """
                        INSERT INTO support_tickets (client_id, channel, subject, body, status, priority, created_at, updated_at)
                        VALUES (?, 'email', 's', 'b', 'open', ?, ?, ?)
                        """,
                    arguments: [client, priority, t(at), t(at)])
            }
        }
    }

    /// A draft's content as its JSON document holds it.
    static func content(_ subject: String) -> String {
        #"{"subject": "\#(subject)", "body": "Hello about \#(subject).", "callToAction": "Call me"}"#
    }

    /// Drafts of every status: decided at the day's start (counted) and at its end (not), approved as written, edited,
    /// sent with an `edited` of JSON null, pending, and of a status this kam does not know (read as pending).
    static func drafts(_ db: Database) throws {
        let rows: [(id: String, client: String, status: String, created: Double, decided: Double?, document: String)] =
            [
                (
                    "d1", "a", "approved", -30, 1,
                    #"{"original": \#(content("one")), "editDistance": 0, "createdBy": "leo", "decidedBy": "leo"}"#
                ),
                (
                    "d2", "c", "edited-and-approved", 2, 3,
                    #"{"original": \#(content("two")), "edited": \#(content("two, edited")), "editDistance": 12, "createdBy": "sven", "decidedBy": "leo"}"#
                ),
                ("d3", "d", "rejected", 0, 24, #"{"original": \#(content("three")), "decidedBy": "sven"}"#),
                ("d4", "b", "sent", -50, 0, #"{"original": \#(content("four")), "edited": null, "createdBy": "leo"}"#),
                ("d5", "a", "pending", 5, nil, #"{"original": \#(content("five")), "createdBy": "leo"}"#),
                ("d6", "b", "archived", 6, 7, #"{"original": \#(content("six"))}"#),
            ]
        for row in rows {
            try db.execute(
                sql: """
                    INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, decided_at, prompt_id,
                      prompt_version, prompt_hash, provider, model, is_offline, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'v1', 'h', 'offline', 'm', 1, ?)
                    """,
                arguments: [
                    row.id, row.client, row.id == "d2" ? "reply" : "follow-up", row.status, t(row.created),
                    t(row.decided ?? row.created), row.decided.map { t($0) },
                    row.id == "d3" ? "email.reply" : "email.follow-up",
                    row.document,
                ])
        }
    }

    /// Suggestions: one whose evidence names two rules after an activity (its origin the first rule), a dismissed one
    /// with its kind, one of a type and status this kam does not know, one made before the day.
    static func suggestions(_ db: Database) throws {
        let rows: [(id: String, client: String, type: String, status: String, created: Double, document: String)] = [
            (
                "s1", "a", "follow-up", "accepted", 1,
                #"{"evidence": [{"kind": "activity", "id": "7"}, {"kind": "rule", "id": "quiet-client"}, {"kind": "rule", "id": "second"}]}"#
            ),
            ("s2", "c", "upsell", "dismissed", 2, #"{"dismissKind": "not-relevant", "evidence": []}"#),
            ("s3", "d", "custom-thing", "weird", 3, "{}"),
            ("s4", "b", "follow-up", "pending", -10, #"{"evidence": [{"kind": "rule", "id": "r2"}]}"#),
        ]
        for row in rows {
            try db.execute(
                sql: """
                    INSERT INTO suggestions (id, client_id, type, target, status, priority, created_at, expires_at, document)
                    VALUES (?, ?, ?, 'client', ?, 1, ?, ?, ?)
                    """,
                arguments: [
                    row.id, row.client, row.type, row.status, t(row.created), t(row.created + 240), row.document,
                ])
        }
    }
}
