import Foundation
import KAMCore
import KAMStore

/// Tasks by hand (`kam task add|done|reopen|list`): each write is one transaction, then the client is
/// re-scored (`ClientRefresh`): finishing an overdue task resolves its "escalate" suggestion and lifts
/// the business-outcomes part of health.
///
/// For example:
/// ```swift
/// let done = try runtime.tasks.done(2, as: ActingUser("tom"))
/// done.refresh.resolved.first?.type   // .escalate
/// ```
public struct TaskService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A task to add.
    public struct Entry: Sendable {
        public var clientID: String
        public var title: String
        public var due: Date?
        public var priority: TaskPriority
        /// A user id or email; nil assigns it to the acting user when they are a known user.
        public var assignee: String?

        public init(
            clientID: String, title: String, due: Date? = nil, priority: TaskPriority = .medium, assignee: String? = nil
        ) {
            self.clientID = clientID
            self.title = title
            self.due = due
            self.priority = priority
            self.assignee = assignee
        }
    }

    /// The task after a write and what the write changed downstream.
    public struct Write: Codable, Sendable {
        public var task: ClientTask
        public var refresh: ClientRefresh.Outcome
    }

    /// Tasks, pending first by due date; see `ClientStore.tasks`.
    ///
    /// - Parameter assignee: a user id or email.
    public func list(
        clientID: String? = nil, assignee: String? = nil, includeClosed: Bool = false, as user: ActingUser
    ) throws -> [ClientTask] {
        if let clientID { try runtime.requireInScope(clientID: clientID, as: user) }
        let assigneeID = try assignee.map { try runtime.clientMemory.user(id: $0)?.id ?? $0 }
        return try runtime.clientRecords.tasks(
            clientID: clientID, assignee: assigneeID, includeClosed: includeClosed, limit: 500,
            owners: try runtime.scope(for: user).userIDs)
    }

    /// The task with `id`.
    /// - Throws: `RuntimeError` `.notFound`.
    public func task(_ id: Int64, as user: ActingUser) throws -> ClientTask {
        let notFound = RuntimeError(.notFound, code: "task.not-found", "no task has id \(id); `kam task list --all` shows the ids")
        guard let task = try runtime.clientRecords.task(id: id) else { throw notFound }
        try runtime.requireRecord(ofClient: task.clientID, as: user, orElse: notFound)
        return task
    }

    /// Adds an open task.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` for an empty title or an assignee who is not a user.
    @discardableResult
    public func add(_ entry: Entry, as user: ActingUser) throws -> Write {
        try runtime.requireInScope(clientID: entry.clientID, as: user)
        let title = entry.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else {
            throw RuntimeError(
                .invalidInput, code: "task.title-missing",
                "client '\(entry.clientID)': a task needs a title (`kam task add \(entry.clientID) \"Send the quote\"`)")
        }
        var assignee: String?
        if let wanted = entry.assignee?.trimmingCharacters(in: .whitespaces) {
            guard let found = try runtime.clientMemory.user(id: wanted) else {
                let known = try runtime.clientMemory.listUsers().map(\.id)
                throw RuntimeError(
                    .wrongState, code: "task.assignee-unknown",
                    "client '\(entry.clientID)': --assignee '\(wanted)' is not a user id or email; "
                        + (known.isEmpty ? "no users yet (they come from `kam import`)" : "users: \(known.joined(separator: ", "))"))
            }
            assignee = found.id
        } else if let id = user.id {
            assignee = try runtime.clientMemory.user(id: id)?.id
        }
        let task = try runtime.clientRecords.addTask(
            ClientTask(clientID: entry.clientID, title: title, due: entry.due, priority: entry.priority, assignee: assignee))
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: entry.clientID, cause: "task \(task.id ?? 0) added\(user.byClause)")
        return Write(task: task, refresh: refresh)
    }

    /// Marks a pending task done.
    /// - Throws: `RuntimeError` `.notFound`, `.wrongState` when it is already done or cancelled.
    @discardableResult
    public func done(_ id: Int64, as user: ActingUser) throws -> Write {
        try change(id, to: .done, as: user) { task in
            guard task.status.isPending else {
                throw RuntimeError(
                    .wrongState, code: "task.not-pending",
                    "task \(id) of client '\(task.clientID)' is already \(task.status.rawValue); `kam task reopen \(id)` opens it again")
            }
        }
    }

    /// Opens a done or cancelled task again.
    /// - Throws: `RuntimeError` `.notFound`, `.wrongState` when it is still pending.
    @discardableResult
    public func reopen(_ id: Int64, as user: ActingUser) throws -> Write {
        try change(id, to: .open, as: user) { task in
            guard !task.status.isPending else {
                throw RuntimeError(
                    .wrongState, code: "task.already-open",
                    "task \(id) of client '\(task.clientID)' is \(task.status.rawValue), not done; nothing to reopen")
            }
        }
    }

    /// Sets the task's status in one transaction (after `check` accepts the stored task), then re-scores its client.
    private func change(_ id: Int64, to status: TaskStatus, as user: ActingUser, check: (ClientTask) throws -> Void)
        throws -> Write
    {
        _ = try task(id, as: user)
        let (_, after) = try runtime.clientRecords.updateTask(id: id) { task in
            try check(task)
            task.status = status
        }
        let verb = status == .done ? "done" : "reopened"
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: after.clientID, cause: "task \(id) \(verb)\(user.byClause)")
        return Write(task: after, refresh: refresh)
    }
}
