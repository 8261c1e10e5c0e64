import Foundation
import KAMCore
import PostgresNIO

/// Each user's inbox in a PostgreSQL database (`notifications`), read and marked read as `NotificationRepository`
/// does on SQLite (`NotificationStoring`), shared by every process that opens it. (`PostgresNotifications` writes
/// notifications inside other writes' transactions.)
///
/// Marking read is a compare-and-set: `UPDATE … WHERE read_at IS NULL`. A second process marking the same
/// notification waits for the first's commit, then finds it read and changes nothing, so a notification keeps its
/// first time and `markAllRead`'s counts over all processes add up to the notifications that were unread.
///
/// For example:
///
///     let inbox = PostgresNotificationStore(store: try await PostgresStore.open(configuration))
///     try inbox.markAllRead(userID: "maria", at: Date())
public struct PostgresNotificationStore: NotificationStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func inbox(userID: String, unreadOnly: Bool = false, created: Range<Date>? = nil, limit: Int = 100) throws
        -> [StoredNotification]
    {
        let from = created?.lowerBound.timeIntervalSince1970
        let until = created?.upperBound.timeIntervalSince1970
        return try store.transaction(readOnly: true) { session in
            try Self.notifications(
                session.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM notifications
                    WHERE user_id = \(userID) AND (NOT \(unreadOnly) OR read_at IS NULL)
                        AND (\(from)::DOUBLE PRECISION IS NULL
                            OR (created_at >= \(from) AND created_at < \(until)))
                    ORDER BY id DESC LIMIT \(limit)
                    """, doing: "reading the inbox of \(userID)"))
        }
    }

    public func unreadCount(userID: String) throws -> Int {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT COUNT(*) FROM notifications WHERE user_id = \(userID) AND read_at IS NULL",
                doing: "counting the unread notifications of \(userID)"
            ).rows.first.map { try $0.decode(Int.self) } ?? 0
        }
    }

    public func markRead(id: Int64, userID: String, at now: Date) throws -> StoredNotification? {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                UPDATE notifications SET read_at = \(now.timeIntervalSince1970)
                WHERE id = \(id) AND user_id = \(userID) AND read_at IS NULL
                """, doing: "marking notification \(id) read")
            return try Self.notifications(
                session.query(
                    "SELECT \(unescaped: Self.columns) FROM notifications WHERE id = \(id) AND user_id = \(userID)",
                    doing: "reading notification \(id)")
            ).first
        }
    }

    public func markAllRead(userID: String, at now: Date) throws -> Int {
        try store.transaction(readOnly: false) { session in
            let result = try session.query(
                """
                UPDATE notifications SET read_at = \(now.timeIntervalSince1970)
                WHERE user_id = \(userID) AND read_at IS NULL
                """, doing: "marking the notifications of \(userID) read")
            return result.metadata.rows ?? 0
        }
    }

    private static let columns = "id, user_id, client_id, cause_event_id, rule, title, body, read_at, created_at"

    /// The notifications of a result selecting `columns`.
    private static func notifications(_ result: PostgresQueryResult) throws -> [StoredNotification] {
        try result.rows.map { row in
            let (id, userID, clientID, causeEventID, rule, title, body, readAt, createdAt) = try row.decode(
                (Int64, String, String?, Int64?, String?, String, String, Double?, Double).self)
            return StoredNotification(
                id: id, userID: userID, clientID: clientID, causeEventID: causeEventID, rule: rule, title: title,
                body: body, readAt: readAt.map(Date.init(timeIntervalSince1970:)),
                createdAt: Date(timeIntervalSince1970: createdAt))
        }
    }
}
