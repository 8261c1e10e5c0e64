import Foundation
import GRDB
import KAMCore

extension ClientStore: ClientDirectoryReading {
    /// A page of client `clientID`'s timeline, newest first: its activities and the inbound emails stored for
    /// it that made no activity, `limit` entries after the first `offset`, in one read so the parts agree.
    ///
    /// Paged by offset in SQL (a `UNION ALL` of the two tables' ids and times) so a page costs one page of
    /// rows, not the client's whole history.
    public func timeline(clientID: String, offset: Int, limit: Int) throws -> [ClientTimelineEntry] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT 0 AS email, id, occurred_at AS at FROM activities WHERE client_id = ?1
                    UNION ALL
                    SELECT 1 AS email, id, received_at AS at FROM inbound_emails
                    WHERE client_id = ?1 AND activity_id IS NULL
                    ORDER BY at DESC, email, id DESC LIMIT ?2 OFFSET ?3
                    """,
                arguments: [clientID, limit, offset])
            let activityIDs = rows.filter { ($0["email"] as Int) == 0 }.map { $0["id"] as Int64 }
            let emailIDs = rows.filter { ($0["email"] as Int) == 1 }.map { $0["id"] as Int64 }
            let activities = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT \(ClientRecords.activityColumns) FROM activities WHERE id IN \(Self.placeholders(activityIDs.count))",
                    arguments: StatementArguments(activityIDs)
                ).map { row in (row[0] as Int64, try ClientRecords.activity(row)) })
            let emailRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(InboundEmailRepository.columns) FROM inbound_emails
                    WHERE id IN \(Self.placeholders(emailIDs.count))
                       OR activity_id IN \(Self.placeholders(activityIDs.count))
                    """,
                arguments: StatementArguments(emailIDs + activityIDs))
            var emailsByID: [Int64: EmailIntakeEntry] = [:]
            var emailsByActivity: [Int64: EmailIntakeEntry] = [:]
            for row in emailRows {
                let entry = try InboundEmailRepository.entry(db, row)
                emailsByID[entry.id] = entry
                if let activityID = entry.activityID { emailsByActivity[activityID] = entry }
            }
            return rows.map { row in
                let id: Int64 = row["id"]
                let at = Date(timeIntervalSince1970: row["at"])
                if (row["email"] as Int) == 1 { return ClientTimelineEntry(at: at, activity: nil, email: emailsByID[id]) }
                return ClientTimelineEntry(at: at, activity: activities[id], email: emailsByActivity[id])
            }
        }
    }

    /// The band of each client's latest stored health score; clients never scored are absent.
    public func latestHealthBands() throws -> [String: HealthBand] {
        try writer.read { db in
            var bands: [String: HealthBand] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT client_id, band FROM (
                        SELECT client_id, band,
                               ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY computed_at DESC, id DESC) AS n
                        FROM health_scores)
                    WHERE n = 1
                    """)
            for row in rows {
                if let band = HealthBand(rawValue: row["band"]) { bands[row["client_id"]] = band }
            }
            return bands
        }
    }

    /// `(?, ?, ?)` for `count` values; `(NULL)` for none, which matches nothing in an `IN`.
    private static func placeholders(_ count: Int) -> String {
        count == 0 ? "(NULL)" : "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
