import Foundation
import KAMCore
import PostgresNIO

/// The client directory's reads (`ClientDirectoryReading`) from PostgreSQL, as `ClientStore` reads them from SQLite
/// (`ClientStore+Timeline.swift`, `findClients`): each one read-only transaction, so a timeline page's parts agree.
extension PostgresClientMemory: ClientDirectoryReading {
    /// See `ClientStore.findClients(matching:limit:)`. SQLite's `LIKE` ignores the case of ASCII letters only; here
    /// both sides are `lower(…)` in the "C" collation, which folds ASCII letters only, and `ORDER BY … COLLATE
    /// NOCASE` is `ORDER BY lower(name)`.
    public func findClients(matching query: String, limit: Int) throws -> [Client] {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let pattern =
            "%"
            + trimmed.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try store.transaction(readOnly: true) { session in
            try Self.all(
                session,
                """
                WITH p (pattern) AS (SELECT lower(\(pattern)::text COLLATE "C"))
                SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients, p
                WHERE lower(id) LIKE p.pattern ESCAPE '\\' OR lower(name) LIKE p.pattern ESCAPE '\\'
                   OR lower(domain) LIKE p.pattern ESCAPE '\\' OR lower(external_id) LIKE p.pattern ESCAPE '\\'
                   OR id IN (SELECT client_id FROM contacts
                             WHERE lower(name) LIKE p.pattern ESCAPE '\\' OR lower(email) LIKE p.pattern ESCAPE '\\')
                ORDER BY lower(name), id LIMIT \(limit)
                """, doing: "searching clients for '\(trimmed)'", PostgresMemoryRows.client)
        }
    }

    /// See `ClientStore.timeline(clientID:offset:limit:)`: the page's ids and times in one `UNION ALL`, then its
    /// activities and emails by id.
    public func timeline(clientID: String, offset: Int, limit: Int) throws -> [ClientTimelineEntry] {
        let doing = "reading the timeline of client \(clientID)"
        return try store.transaction(readOnly: true) { session in
            let page = try session.query(
                """
                SELECT false AS email, id, occurred_at AS at FROM activities WHERE client_id = \(clientID)
                UNION ALL
                SELECT true AS email, id, received_at AS at FROM inbound_emails
                WHERE client_id = \(clientID) AND activity_id IS NULL
                ORDER BY at DESC, email, id DESC LIMIT \(limit) OFFSET \(offset)
                """, doing: doing
            ).rows.map { try $0.decode((Bool, Int64, Double).self) }
            let activityIDs = page.filter { !$0.0 }.map { $0.1 }
            let emailIDs = page.filter { $0.0 }.map { $0.1 }
            var activities: [Int64: Activity] = [:]
            for row in try session.query(
                """
                SELECT \(unescaped: PostgresMemoryRows.activityColumns) FROM activities WHERE id = ANY(\(activityIDs))
                """, doing: doing
            ).rows {
                let activity = try PostgresMemoryRows.activity(row)
                if let id = activity.id { activities[id] = activity }
            }
            var emailsByID: [Int64: EmailIntakeEntry] = [:]
            var emailsByActivity: [Int64: EmailIntakeEntry] = [:]
            for row in try session.query(
                """
                SELECT \(unescaped: PostgresInboundEmailStore.columns) FROM inbound_emails
                WHERE id = ANY(\(emailIDs)) OR activity_id = ANY(\(activityIDs))
                """, doing: doing
            ).rows {
                let entry = try PostgresInboundEmailStore.entry(session, row)
                emailsByID[entry.id] = entry
                if let activityID = entry.activityID { emailsByActivity[activityID] = entry }
            }
            return page.map { entry in
                let (email, id, at) = (entry.0, entry.1, Date(timeIntervalSince1970: entry.2))
                if email { return ClientTimelineEntry(at: at, activity: nil, email: emailsByID[id]) }
                return ClientTimelineEntry(at: at, activity: activities[id], email: emailsByActivity[id])
            }
        }
    }

    /// See `ClientStore.latestHealthBands()`: each client's latest score (the last stored on a tie).
    public func latestHealthBands() throws -> [String: HealthBand] {
        try store.transaction(readOnly: true) { session in
            var bands: [String: HealthBand] = [:]
            for row in try session.query(
                """
                SELECT DISTINCT ON (client_id) client_id, band FROM health_scores
                ORDER BY client_id, computed_at DESC, id DESC
                """, doing: "reading the latest health bands"
            ).rows {
                let (clientID, band) = try row.decode((String, String).self)
                if let band = HealthBand(rawValue: band) { bands[clientID] = band }
            }
            return bands
        }
    }
}
