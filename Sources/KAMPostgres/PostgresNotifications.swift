import Foundation
import KAMCore
import PostgresNIO

/// Writes to a user's inbox (`notifications`) inside a caller's transaction, as `NotificationRepository`'s
/// `insert` and `exists` do on SQLite.
enum PostgresNotifications {
    /// Adds a notification with its `notification.created` event; its id.
    static func insert(
        _ session: PostgresSession, userID: String, clientID: String?, causeEventID: Int64?, rule: String,
        title: String, body: String, at now: Date
    ) throws -> Int64 {
        let rows = try session.query(
            """
            INSERT INTO notifications (user_id, client_id, cause_event_id, rule, title, body, created_at)
            VALUES (\(userID), \(clientID), \(causeEventID), \(rule), \(title), \(body), \(now.timeIntervalSince1970))
            RETURNING id
            """, doing: "adding a notification for user \(userID)")
        guard let id = try rows.rows.first?.decode(Int64.self) else {
            throw PostgresStoreError(.queryFailed, "the insert of a notification for user \(userID) returned no id")
        }
        try PostgresEventLog.append(
            session,
            .notificationCreated(
                notificationID: id, userID: userID, clientID: clientID, rule: rule, causeEventID: causeEventID, at: now)
        )
        return id
    }

    /// Whether `userID` has a notification from `rule` titled `title` created at or after `since`.
    static func exists(_ session: PostgresSession, userID: String, rule: String, title: String, since: Date) throws
        -> Bool
    {
        try session.query(
            """
            SELECT 1 FROM notifications
            WHERE user_id = \(userID) AND rule = \(rule) AND title = \(title) AND created_at >= \(since.timeIntervalSince1970)
            LIMIT 1
            """, doing: "looking for a notification of user \(userID)"
        ).rows.isEmpty == false
    }
}
