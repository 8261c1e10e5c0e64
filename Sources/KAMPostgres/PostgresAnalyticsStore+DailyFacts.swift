import Foundation
import KAMCore
import PostgresNIO

extension PostgresAnalyticsStore {
    /// See `AnalyticsRepository.dailyFacts(day:until:)`: the same reads, word for word but for PostgreSQL's spelling
    /// (`json_extract` is `->>`, `json_each` over the changed fields `json_array_elements_text`), in one read-only
    /// transaction, so the parts agree.
    public func dailyFacts(day: AnalyticsDay, until: Date?) throws -> DailyFacts {
        let start = day.start.timeIntervalSince1970
        // Every bound below is `< end`: the next representable time after `until` makes it `<= until`.
        let end = day.end(until: until).timeIntervalSince1970
        return try store.transaction(readOnly: true) { session in
            var facts = DailyFacts(day: day)
            let name = day.name
            facts.health = try session.query(
                """
                SELECT c.owner_id, (SELECT h.band FROM health_scores h
                  WHERE h.client_id = c.id AND h.computed_at < \(end)
                  ORDER BY h.computed_at DESC, h.id DESC LIMIT 1)
                FROM clients c
                """, doing: "reading the health bands at the end of \(name)"
            ).rows.compactMap { row -> DailyFacts.Health? in
                let (owner, band) = try row.decode((String?, String?).self)
                return band.flatMap(HealthBand.init(rawValue:)).map { .init(ownerID: owner, band: $0) }
            }
            facts.deals = try session.query(
                """
                SELECT c.owner_id, d.amount, COALESCE(
                  (SELECT h.stage FROM deal_stage_history h WHERE h.deal_id = d.id AND h.entered_at < \(end)
                    ORDER BY h.entered_at DESC, h.id DESC LIMIT 1),
                  CASE WHEN d.stage_entered_at < \(end) THEN d.stage END)
                FROM deals d JOIN clients c ON c.id = d.client_id
                """, doing: "reading the deals at the end of \(name)"
            ).rows.compactMap { row -> DailyFacts.Deal? in
                let (owner, amount, stage) = try row.decode((String?, Double, String?).self)
                return stage.flatMap(DealStage.init(rawValue:)).map { .init(ownerID: owner, stage: $0, amount: amount) }
            }
            facts.closings = try session.query(
                """
                SELECT c.owner_id, d.amount, h.stage, EXISTS (
                  SELECT 1 FROM deals o JOIN deal_stage_history w ON w.deal_id = o.id
                  WHERE o.client_id = d.client_id AND o.id <> d.id AND w.stage = 'closed-won'
                    AND w.entered_at < h.entered_at
                )
                FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id JOIN clients c ON c.id = d.client_id
                WHERE h.stage IN ('closed-won', 'closed-lost') AND h.entered_at >= \(start) AND h.entered_at < \(end)
                """, doing: "reading the deals closed on \(name)"
            ).rows.map { row -> DailyFacts.Closing in
                let (owner, amount, stage, wonBefore) = try row.decode((String?, Double, String, Bool).self)
                return .init(
                    ownerID: owner, won: stage == DealStage.closedWon.rawValue, amount: amount,
                    clientWonBefore: wonBefore)
            }
            // Its `kind = 'client.updated'` is the partial index events_client_updates' condition word for word. The
            // changed fields are read only when they are an array (SQLite's `json_each` reads any JSON; this only
            // arrays, and these events' are).
            facts.churns = try session.query(
                """
                SELECT c.owner_id, (SELECT COALESCE(SUM(o.amount), 0) FROM orders o WHERE o.client_id = e.client_id
                  AND o.ordered_at >= e.occurred_at - 31536000 AND o.ordered_at < e.occurred_at)
                FROM events e JOIN clients c ON c.id = e.client_id
                WHERE e.kind = 'client.updated' AND e.occurred_at >= \(start) AND e.occurred_at < \(end)
                  AND e.payload::json ->> 'lifecycle' = 'churned'
                  AND EXISTS (
                    SELECT 1 FROM json_array_elements_text(CASE WHEN json_typeof(e.payload::json -> 'fields') = 'array'
                      THEN e.payload::json -> 'fields' END) f (value)
                    WHERE f.value = 'lifecycle')
                """, doing: "reading the clients churned on \(name)"
            ).rows.map { row -> DailyFacts.Churn in
                let (owner, revenue) = try row.decode((String?, Double).self)
                return .init(ownerID: owner, revenue: revenue)
            }
            facts.responses = try session.query(
                """
                SELECT owner_id, received_at, answered_at FROM (
                  SELECT c.owner_id, e.received_at, (SELECT MIN(a.occurred_at) FROM activities a
                    WHERE a.client_id = e.client_id AND a.kind = 'email' AND a.direction = 'outbound'
                      AND a.occurred_at >= e.received_at) AS answered_at
                  FROM inbound_emails e JOIN clients c ON c.id = e.client_id
                  WHERE e.received_at >= \(start - DailyFacts.responseWindow) AND e.received_at < \(end)) AS r
                WHERE answered_at >= \(start) AND answered_at < \(end)
                """, doing: "reading the emails answered on \(name)"
            ).rows.map { row -> DailyFacts.Response in
                let (owner, received, answered) = try row.decode((String?, Double, Double).self)
                return .init(
                    ownerID: owner, receivedAt: Date(timeIntervalSince1970: received),
                    answeredAt: Date(timeIntervalSince1970: answered))
            }
            facts.tickets = try session.query(
                """
                SELECT c.owner_id, t.priority FROM support_tickets t LEFT JOIN clients c ON c.id = t.client_id
                WHERE t.created_at >= \(start) AND t.created_at < \(end)
                """, doing: "reading the tickets opened on \(name)"
            ).rows.map { row -> DailyFacts.Ticket in
                let (owner, priority) = try row.decode((String?, String).self)
                return .init(ownerID: owner, priority: priority)
            }
            facts.drafts = try Self.drafts(session, decidedFrom: start, to: end).map {
                .init(ownerID: $0.clientOwnerID, accepted: $0.status != .rejected)
            }
            facts.suggestions = try Self.suggestionDecisions(session, from: start, to: end).map {
                .init(ownerID: $0.clientOwnerID, accepted: $0.status == .accepted)
            }
            return facts
        }
    }
}
