import Foundation
import KAMCore
import PostgresNIO

/// Health score history and lead moves in a PostgreSQL database (`health_scores`, `lead_transitions`, the clients'
/// `lead_status`), as `HealthRepository` keeps them in SQLite (`HealthStoring`), shared by every process that opens it.
///
/// SQLite's single writer makes each write's read and write one step; here two processes write at once, so:
/// - `record` first locks the client's row (`SELECT … FOR NO KEY UPDATE`), then reads the previous score: two
///   processes recording a client's score at once take turns, and the second compares its score with the first's
///   (one `health.changed` event for two equal scores, as on SQLite). A score of an unknown client is refused by the
///   foreign key.
/// - `apply` is a compare-and-set: `UPDATE clients … WHERE lead_status = <the move's from>`. The row's lock makes a
///   second move wait for the first's commit, after which PostgreSQL checks the condition again on the row's latest
///   version: of two moves from the same status exactly one is applied, and the other gets SQLite's error
///   (`store.invalid-value`, "client … is now …"), with no kept move and no event.
///
/// For example:
///
///     let health = PostgresHealthStore(store: try await PostgresStore.open(configuration))
///     try health.record(score)
public struct PostgresHealthStore: HealthStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func record(_ score: HealthScore) throws {
        let factors = try DocumentCoding.encode(score.factors)
        try store.transaction(readOnly: false) { session in
            _ = try PostgresClientRecordStore.lockClient(
                session, score.clientID, doing: "locking client \(score.clientID) to record its health")
            let previous = try Self.scores(
                session.query(
                    """
                    SELECT \(unescaped: Self.scoreColumns) FROM health_scores WHERE client_id = \(score.clientID)
                    ORDER BY computed_at DESC, id DESC LIMIT 1
                    """, doing: "reading the health of client \(score.clientID)")
            ).first
            if previous?.score != score.score || previous?.band != score.band {
                try PostgresEventLog.append(session, .healthChanged(score, previous: previous))
            }
            try session.query(
                """
                INSERT INTO health_scores (client_id, computed_at, score, band, factors)
                VALUES (\(score.clientID), \(score.computedAt.timeIntervalSince1970), \(score.score),
                    \(score.band.rawValue), \(factors))
                """, doing: "recording the health of client \(score.clientID)")
        }
    }

    public func history(clientID: String, limit: Int = 30) throws -> [HealthScore] {
        try store.transaction(readOnly: true) { session in
            try Self.scores(
                session.query(
                    """
                    SELECT \(unescaped: Self.scoreColumns) FROM health_scores WHERE client_id = \(clientID)
                    ORDER BY computed_at DESC, id DESC LIMIT \(limit)
                    """, doing: "reading the health history of client \(clientID)"))
        }
    }

    public func apply(_ transition: LeadTransition) throws {
        try store.transaction(readOnly: false) { session in try Self.apply(session, transition) }
    }

    /// `apply(_:)` inside a caller's transaction (a lead's details saved with the move they make), with its
    /// `lead.status-changed` event.
    static func apply(_ session: PostgresSession, _ transition: LeadTransition) throws {
        let id = transition.clientID
        let moved = try session.query(
            """
            UPDATE clients
            SET lead_status = \(transition.to.rawValue), updated_at = \(transition.at.timeIntervalSince1970)
            WHERE id = \(id) AND lead_status = \(transition.from.rawValue)
            """, doing: "moving the lead of client \(id)")
        guard (moved.metadata.rows ?? 0) > 0 else {
            let current = try session.query(
                "SELECT lead_status FROM clients WHERE id = \(id)", doing: "reading the lead status of client \(id)"
            ).rows.first.map { try $0.decode(String.self) }
            guard let current else { throw StoreError(.clientNotFound, "no client has id '\(id)'") }
            throw StoreError.leadMoved(transition, current: current)
        }
        try session.query(
            """
            INSERT INTO lead_transitions (client_id, from_status, to_status, automatic, reason, at)
            VALUES (\(id), \(transition.from.rawValue), \(transition.to.rawValue), \(transition.automatic),
                \(transition.reason), \(transition.at.timeIntervalSince1970))
            """, doing: "keeping the lead move of client \(id)")
        try PostgresEventLog.append(session, .leadStatusChanged(transition))
    }

    public func transitions(clientID: String) throws -> [LeadTransition] {
        try store.transaction(readOnly: true) { session in
            try Self.transitions(
                session.query(
                    """
                    SELECT \(unescaped: Self.transitionColumns) FROM lead_transitions WHERE client_id = \(clientID)
                    ORDER BY at, id
                    """, doing: "reading the lead moves of client \(clientID)"))
        }
    }

    private static let scoreColumns = "client_id, computed_at, score, band, factors"

    /// The scores of a result selecting `scoreColumns`; the band as stored (the bands may have been configured
    /// differently since).
    private static func scores(_ result: PostgresQueryResult) throws -> [HealthScore] {
        try result.rows.map { row in
            let (clientID, computedAt, score, band, factors) = try row.decode(
                (String, Double, Int, String, String).self)
            return HealthScore(
                clientID: clientID, score: score, band: HealthBand(rawValue: band),
                factors: try DocumentCoding.decode([HealthFactor].self, from: factors),
                computedAt: Date(timeIntervalSince1970: computedAt))
        }
    }

    static let transitionColumns = "client_id, from_status, to_status, automatic, reason, at"

    /// The lead moves of a result selecting `transitionColumns` (an unknown status read as `new`, as on SQLite).
    static func transitions(_ result: PostgresQueryResult) throws -> [LeadTransition] {
        try result.rows.map { row in
            let (clientID, from, to, automatic, reason, at) = try row.decode(
                (String, String, String, Bool, String, Double).self)
            return LeadTransition(
                clientID: clientID, from: LeadStatus(rawValue: from) ?? .new, to: LeadStatus(rawValue: to) ?? .new,
                automatic: automatic, reason: reason, at: Date(timeIntervalSince1970: at))
        }
    }
}
