import Foundation

/// A to-do for an account (named `ClientTask` so it never shadows Swift's `Task`).
public struct ClientTask: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var externalID: String?
    public var title: String
    public var due: Date?
    public var status: TaskStatus
    public var priority: TaskPriority
    public var assignee: String?

    public init(
        id: Int64? = nil, clientID: String, externalID: String? = nil, title: String, due: Date? = nil,
        status: TaskStatus = .open, priority: TaskPriority = .medium, assignee: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.externalID = externalID
        self.title = title
        self.due = due
        self.status = status
        self.priority = priority
        self.assignee = assignee
    }

    public func isOverdue(at now: Date) -> Bool {
        guard status.isPending, let due else { return false }
        return due < now
    }
}
