import Foundation
import GRDB
import KAMCore

/// Health score history and lead status transitions: kept, so drops and moves are visible later.
public struct HealthRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Keeps a client's new score with its `health.changed` event (the previous score in its payload), in one
    /// transaction; a score equal to the previous one (same score and band) is kept without an event.
    public func record(_ score: HealthScore) throws {
        try store.writer.write { db in
            let previous = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT * FROM health_scores WHERE client_id = ? ORDER BY computed_at DESC, id DESC LIMIT 1"),
                arguments: [score.clientID]
            ).map(Self.score)
            if previous?.score != score.score || previous?.band != score.band {
                try EventLog.append(db, .healthChanged(score, previous: previous))
            }
            try db.execute(
                sql: "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    score.clientID, score.computedAt.timeIntervalSince1970, score.score, score.band.rawValue,
                    try DocumentCoding.encode(score.factors),
                ])
        }
    }

    /// Scores of a client, newest first.
    public func history(clientID: String, limit: Int = 30) throws -> [HealthScore] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM health_scores WHERE client_id = ? ORDER BY computed_at DESC, id DESC LIMIT ?",
                arguments: [clientID, limit]
            ).map(Self.score)
        }
    }

    static func score(_ row: Row) throws -> HealthScore {
        // The band stored with the score: the bands may have been configured differently since.
        HealthScore(
            clientID: row["client_id"], score: row["score"], band: HealthBand(rawValue: row["band"]),
            factors: try DocumentCoding.decode([HealthFactor].self, from: row["factors"]),
            computedAt: Date(timeIntervalSince1970: row["computed_at"]))
    }

    /// Applies a lead transition: updates the client's status and keeps the transition, in one transaction.
    /// Refused when the client's status is no longer the transition's `from` (someone moved it meanwhile).
    public func apply(_ transition: LeadTransition) throws {
        try store.writer.write { db in try Self.apply(db, transition) }
    }

    /// `apply(_:)` inside a caller's transaction (a deal move and the lead move it makes commit together), with
    /// its `lead.status-changed` event.
    public static func apply(_ db: Database, _ transition: LeadTransition) throws {
        let current = try String.fetchOne(
            db, sql: "SELECT lead_status FROM clients WHERE id = ?", arguments: [transition.clientID])
        guard let current else {
            throw StoreError(.clientNotFound, "no client has id '\(transition.clientID)'")
        }
        guard current == transition.from.rawValue else {
            throw StoreError.leadMoved(transition, current: current)
        }
        try db.execute(
            sql: "UPDATE clients SET lead_status = ?, updated_at = ? WHERE id = ?",
            arguments: [transition.to.rawValue, transition.at.timeIntervalSince1970, transition.clientID])
        try db.execute(
            sql: """
                INSERT INTO lead_transitions (client_id, from_status, to_status, automatic, reason, at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                transition.clientID, transition.from.rawValue, transition.to.rawValue, transition.automatic,
                transition.reason, transition.at.timeIntervalSince1970,
            ])
        try EventLog.append(db, .leadStatusChanged(transition))
    }

    public func transitions(clientID: String) throws -> [LeadTransition] {
        try store.writer.read { db in
            var transitions: [LeadTransition] = []
            try db.cachedStatement(sql: "SELECT \(Self.transitionColumns) FROM lead_transitions WHERE client_id = ? ORDER BY at, id")
                .forEachRow(storing: [clientID]) { transitions.append(Self.transition($0)) }
            return transitions
        }
    }

    /// The columns `transition(_:)` reads, in its order.
    static let transitionColumns = "client_id, from_status, to_status, automatic, reason, at"

    /// A lead move from a row of `transitionColumns`.
    static func transition(_ row: StoredRow) -> LeadTransition {
        LeadTransition(
            clientID: row.text(0) ?? "", from: row.text(1).flatMap(LeadStatus.init(rawValue:)) ?? .new,
            to: row.text(2).flatMap(LeadStatus.init(rawValue:)) ?? .new, automatic: row.int64(3) != 0,
            reason: row.text(4) ?? "", at: Date(timeIntervalSince1970: row.double(5)))
    }
}
