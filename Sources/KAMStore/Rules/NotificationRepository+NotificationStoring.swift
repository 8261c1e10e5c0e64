import KAMCore

/// The SQLite inbox, as the core's `NotificationStoring` (`PostgresNotificationStore` is its PostgreSQL twin).
extension NotificationRepository: NotificationStoring {}
