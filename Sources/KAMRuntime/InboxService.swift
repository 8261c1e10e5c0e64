import Foundation
import KAMCore
import KAMStore

/// Each user's inbox (`kam inbox`, `GET /inbox`, `POST /inbox/{id}/read`): the notifications the rules' `notify`
/// action put there, linked to their client, rule and cause event. A user reads and marks only their own; a local
/// run without `--user` names the user whose inbox it reads.
///
/// For example:
/// ```swift
/// let unread = try runtime.inbox.list(unreadOnly: true, as: ActingUser("maria"))
/// try runtime.inbox.markRead(id: unread[0].id, as: ActingUser("maria"))
/// ```
public struct InboxService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any NotificationStoring { runtime.notificationStore }

    /// The inbox's owner: the acting user, or for an admin (or a local run) the user `of` names.
    /// - Throws: `RuntimeError` `.invalidInput` when nobody is named; `RoleRefusal` when a user asks for another's.
    private func owner(_ of: String?, as user: ActingUser) throws -> String {
        if let of, of != user.id {
            try runtime.requireAdmin(user, for: "reading another user's inbox")
            return try runtime.users.account(of).id
        }
        guard let id = user.id else {
            throw RuntimeError(
                .invalidInput, code: "inbox.no-user", "an inbox is a user's: pass --user ID (`kam users list` shows them)")
        }
        return id
    }

    /// The notifications of the acting user (or of `userID`, for an admin), newest first.
    public func list(unreadOnly: Bool = false, of userID: String? = nil, limit: Int = 100, as user: ActingUser) throws
        -> [StoredNotification]
    {
        try repository.inbox(userID: try owner(userID, as: user), unreadOnly: unreadOnly, created: nil, limit: limit)
    }

    /// Marks the acting user's notification `id` read.
    /// - Throws: `RuntimeError` `.notFound` (`notification.not-found`) when they have none with this id.
    @discardableResult
    public func markRead(id: Int64, as user: ActingUser) throws -> StoredNotification {
        let owner = try owner(nil, as: user)
        guard let notification = try repository.markRead(id: id, userID: owner, at: runtime.now()) else {
            throw RuntimeError(
                .notFound, code: "notification.not-found", "\(owner) has no notification \(id); `kam inbox` lists them")
        }
        return notification
    }

    /// Marks every unread notification of the acting user read; how many were.
    @discardableResult
    public func markAllRead(as user: ActingUser) throws -> Int {
        try repository.markAllRead(userID: try owner(nil, as: user), at: runtime.now())
    }

    /// Writes each enabled user's digest of the local day before `slot` (kam.yaml's `jobs.time_zone`) as
    /// `<digest_folder>/<day>/<user>.eml`, for users with notifications that day (a second run rewrites the same
    /// files); nothing without `notifications.digest_folder`. Nothing is sent.
    /// - Returns: how many digests were written (one a user with notifications that day).
    @discardableResult
    public func writeDigests(before slot: Date) throws -> Int {
        guard let folder = runtime.configuration.resolvedDigestFolder() else { return 0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = runtime.configuration.jobs.timeZone
        let end = calendar.startOfDay(for: slot)
        guard let start = calendar.date(byAdding: .day, value: -1, to: end) else { return 0 }
        let day = PlanService.localDay(start, in: calendar.timeZone)
        let directory = URL(fileURLWithPath: folder).appendingPathComponent(day)
        var written = 0
        for account in try runtime.users.list() where !account.isDisabled {
            let notifications = try repository.inbox(
                userID: account.id, unreadOnly: false, created: start..<end, limit: 10_000)
            guard !notifications.isEmpty else { continue }
            let text = NotificationDigest.message(
                userID: account.id, name: account.name, email: account.email, day: day,
                lines: notifications.map {
                    NotificationDigest.Line(
                        at: $0.createdAt, clientID: $0.clientID, title: $0.title, body: $0.body, rule: $0.rule, read: $0.readAt != nil)
                }, at: runtime.now())
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = account.id.replacingOccurrences(of: "/", with: "_") + ".eml"
            try Data(text.utf8).write(to: directory.appendingPathComponent(file), options: .atomic)
            written += 1
        }
        return written
    }
}
