import Foundation

/// Each user's inbox (`notifications`), read and marked read, wherever it is kept: `KAMStore.NotificationRepository`
/// (SQLite) and `KAMPostgres.PostgresNotificationStore` implement it; `InboxService` reaches it through
/// `Runtime.notificationStore`. (The rules' `notify` action writes notifications in its execution's transaction.)
///
/// Both stores behave alike across processes sharing their database (`NotificationStoreConformanceTests`): a
/// notification is marked read once, keeping its first time, however many processes mark it at once.
///
/// For example:
/// ```swift
/// let unread = try notifications.inbox(userID: "maria", unreadOnly: true, created: nil, limit: 100)
/// try notifications.markRead(id: unread[0].id, userID: "maria", at: now)?.readAt   // now
/// ```
public protocol NotificationStoring: Sendable {
    /// `userID`'s notifications, newest first (by id); only unread ones when `unreadOnly`; only those created in
    /// `created` when given; at most `limit`.
    func inbox(userID: String, unreadOnly: Bool, created: Range<Date>?, limit: Int) throws -> [StoredNotification]

    /// How many unread notifications `userID` has.
    func unreadCount(userID: String) throws -> Int

    /// Marks `userID`'s notification `id` read (a notification already read keeps its first time).
    /// - Returns: the notification, or nil when `userID` has none with this id.
    func markRead(id: Int64, userID: String, at now: Date) throws -> StoredNotification?

    /// Marks every unread notification of `userID` read; how many were.
    func markAllRead(userID: String, at now: Date) throws -> Int
}
