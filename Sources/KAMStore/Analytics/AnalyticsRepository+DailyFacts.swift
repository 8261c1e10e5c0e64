import Foundation
import GRDB
import KAMCore

extension AnalyticsRepository {
    /// What `SnapshotCalculator` needs to snapshot `day`: the levels as they stood at the day's end (each client's
    /// latest health score before it, each deal's stage then by its stage history; amounts and owners are today's),
    /// and what happened during it, but the model calls: the usage ledger may be kept apart from the store
    /// (`budgets.ledger`), so `AnalyticsService` reads them through its `CallLog`. `until` ends the day early, that instant included (today's figures so far: a
    /// score recorded this very second counts). One read, so the parts agree.
    public func dailyFacts(day: AnalyticsDay, until: Date?) throws -> DailyFacts {
        let start = day.start.timeIntervalSince1970
        // Every bound below is `< end`: the next representable time after `until` makes it `<= until`.
        let end = day.end(until: until).timeIntervalSince1970
        return try writer.read { db in
            var facts = DailyFacts(day: day)
            facts.health = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.owner_id, (SELECT h.band FROM health_scores h WHERE h.client_id = c.id AND h.computed_at < ?
                      ORDER BY h.computed_at DESC, h.id DESC LIMIT 1) AS band
                    FROM clients c
                    """,
                arguments: [end]
            ).compactMap { row in
                (row["band"] as String?).flatMap(HealthBand.init(rawValue:)).map { .init(ownerID: row["owner_id"], band: $0) }
            }
            facts.deals = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.owner_id, d.amount, COALESCE(
                      (SELECT h.stage FROM deal_stage_history h WHERE h.deal_id = d.id AND h.entered_at < ?1
                        ORDER BY h.entered_at DESC, h.id DESC LIMIT 1),
                      CASE WHEN d.stage_entered_at < ?1 THEN d.stage END) AS stage
                    FROM deals d JOIN clients c ON c.id = d.client_id
                    """,
                arguments: [end]
            ).compactMap { row in
                (row["stage"] as String?).flatMap(DealStage.init(rawValue:)).map {
                    .init(ownerID: row["owner_id"], stage: $0, amount: row["amount"])
                }
            }
            facts.closings = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.owner_id, d.amount, h.stage, EXISTS (
                      SELECT 1 FROM deals o JOIN deal_stage_history w ON w.deal_id = o.id
                      WHERE o.client_id = d.client_id AND o.id <> d.id AND w.stage = 'closed-won' AND w.entered_at < h.entered_at
                    ) AS won_before
                    FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id JOIN clients c ON c.id = d.client_id
                    WHERE h.stage IN ('closed-won', 'closed-lost') AND h.entered_at >= ? AND h.entered_at < ?
                    """,
                arguments: [start, end]
            ).map {
                .init(
                    ownerID: $0["owner_id"], won: ($0["stage"] as String) == DealStage.closedWon.rawValue,
                    amount: $0["amount"], clientWonBefore: $0["won_before"])
            }
            // Its `kind = 'client.updated'` is the partial index events_client_updates' condition word for word.
            facts.churns = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.owner_id, (SELECT COALESCE(SUM(o.amount), 0) FROM orders o WHERE o.client_id = e.client_id
                      AND o.ordered_at >= e.occurred_at - 31536000 AND o.ordered_at < e.occurred_at) AS revenue
                    FROM events e JOIN clients c ON c.id = e.client_id
                    WHERE e.kind = 'client.updated' AND e.occurred_at >= ? AND e.occurred_at < ?
                      AND json_extract(e.payload, '$.lifecycle') = 'churned'
                      AND EXISTS (SELECT 1 FROM json_each(e.payload, '$.fields') f WHERE f.value = 'lifecycle')
                    """,
                arguments: [start, end]
            ).map { .init(ownerID: $0["owner_id"], revenue: $0["revenue"]) }
            facts.responses = try Row.fetchAll(
                db,
                sql: """
                    SELECT owner_id, received_at, answered_at FROM (
                      SELECT c.owner_id, e.received_at, (SELECT MIN(a.occurred_at) FROM activities a
                        WHERE a.client_id = e.client_id AND a.kind = 'email' AND a.direction = 'outbound'
                          AND a.occurred_at >= e.received_at) AS answered_at
                      FROM inbound_emails e JOIN clients c ON c.id = e.client_id
                      WHERE e.received_at >= ? AND e.received_at < ?)
                    WHERE answered_at >= ? AND answered_at < ?
                    """,
                arguments: [start - DailyFacts.responseWindow, end, start, end]
            ).map {
                .init(
                    ownerID: $0["owner_id"], receivedAt: Date(timeIntervalSince1970: $0["received_at"]),
                    answeredAt: Date(timeIntervalSince1970: $0["answered_at"]))
            }
            facts.tickets = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.owner_id, t.priority FROM support_tickets t LEFT JOIN clients c ON c.id = t.client_id
                    WHERE t.created_at >= ? AND t.created_at < ?
                    """,
                arguments: [start, end]
            ).map { .init(ownerID: $0["owner_id"], priority: $0["priority"]) }
            facts.drafts = try Self.drafts(db, where: "d.decided_at >= ? AND d.decided_at < ?", [start, end]).map {
                .init(ownerID: $0.clientOwnerID, accepted: $0.status != .rejected)
            }
            let to = Date(timeIntervalSince1970: end)
            facts.suggestions = try Self.suggestionDecisions(db, from: day.start, to: to).map {
                .init(ownerID: $0.clientOwnerID, accepted: $0.status == .accepted)
            }
            return facts
        }
    }
}
