import Foundation
import GRDB
import KAMCore

/// Each user's inbox (`notifications`): written by the rules engine's `notify` action
/// (`RuleExecutionRepository.record`), read and marked read here.
public struct NotificationRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// `userID`'s notifications, newest first; only unread ones when `unreadOnly`; only those created in
    /// `created` when given.
    public func inbox(userID: String, unreadOnly: Bool = false, created: Range<Date>? = nil, limit: Int = 100) throws
        -> [StoredNotification]
    {
        try store.writer.read { db in
            var sql = "SELECT * FROM notifications WHERE user_id = ?"
            var arguments: StatementArguments = [userID]
            if unreadOnly { sql += " AND read_at IS NULL" }
            if let created {
                sql += " AND created_at >= ? AND created_at < ?"
                arguments += [created.lowerBound.timeIntervalSince1970, created.upperBound.timeIntervalSince1970]
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.notification)
        }
    }

    /// How many unread notifications `userID` has.
    public func unreadCount(userID: String) throws -> Int {
        try store.writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", arguments: [userID]) ?? 0
        }
    }

    /// Marks `userID`'s notification `id` read (a notification already read keeps its first time).
    /// - Returns: the notification, or nil when `userID` has none with this id.
    public func markRead(id: Int64, userID: String, at now: Date) throws -> StoredNotification? {
        try store.writer.write { db in
            try db.execute(
                sql: "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
                arguments: [now.timeIntervalSince1970, id, userID])
            return try Row.fetchOne(
                db, sql: "SELECT * FROM notifications WHERE id = ? AND user_id = ?", arguments: [id, userID]
            ).map(Self.notification)
        }
    }

    /// Marks every unread notification of `userID` read; how many were.
    public func markAllRead(userID: String, at now: Date) throws -> Int {
        try store.writer.write { db in
            try db.execute(
                sql: "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                arguments: [now.timeIntervalSince1970, userID])
            return db.changesCount
        }
    }

    /// Adds a notification to `userID`'s inbox with its `notification.created` event, inside the caller's transaction;
    /// its id. `rule` names what wrote it (a rules-engine rule, or `data-quality`).
    static func insert(
        _ db: Database, userID: String, clientID: String?, causeEventID: Int64?, rule: String, title: String, body: String,
        at now: Date
    ) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO notifications (user_id, client_id, cause_event_id, rule, title, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(storing: [userID, clientID, causeEventID, rule, title, body, now.timeIntervalSince1970])
        let id = db.lastInsertedRowID
        try EventLog.append(
            db,
            .notificationCreated(
                notificationID: id, userID: userID, clientID: clientID, rule: rule, causeEventID: causeEventID, at: now))
        return id
    }

    /// Whether `userID` has a notification from `rule` titled `title` created at or after `since`.
    static func exists(_ db: Database, userID: String, rule: String, title: String, since: Date) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM notifications WHERE user_id = ? AND rule = ? AND title = ? AND created_at >= ?)",
            arguments: [userID, rule, title, since.timeIntervalSince1970]) ?? false
    }

    static func notification(_ row: Row) -> StoredNotification {
        StoredNotification(
            id: row["id"], userID: row["user_id"], clientID: row["client_id"], causeEventID: row["cause_event_id"],
            rule: row["rule"], title: row["title"], body: row["body"],
            readAt: (row["read_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
