import Foundation
import GRDB
import KAMCore

/// Tasks by hand (`kam task add|done|reopen|list`), each write in one transaction.
extension ClientStore {
    /// The task with `id`, or nil.
    public func task(id: Int64) throws -> ClientTask? {
        try writer.read { db in try ClientRecords.taskRow(db, id: id) }
    }

    /// Tasks, pending ones first by due date (undated last), then closed ones.
    ///
    /// - Parameters:
    ///   - clientID: only this client's; nil for every client.
    ///   - assignee: only tasks assigned to this user.
    ///   - includeClosed: also done and cancelled tasks.
    ///   - owners: only tasks of clients one of these users owns (an access scope); nil for all.
    public func tasks(
        clientID: String? = nil, assignee: String? = nil, includeClosed: Bool = false, limit: Int = 500,
        owners: Set<String>? = nil
    ) throws -> [ClientTask] {
        try writer.read { db in
            var (filter, arguments) = ClientRecords.filter(
                equal: [("client_id", clientID), ("assignee", assignee)],
                and: ClientRecords.both(includeClosed ? nil : "status IN ('open', 'in-progress')", ClientRecords.ownedBy(owners)))
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(ClientRecords.taskColumns) FROM tasks \(filter)
                    ORDER BY status NOT IN ('open', 'in-progress'), due IS NULL, due, id LIMIT ?
                    """,
                arguments: arguments
            ).map(ClientRecords.task)
        }
    }

    /// Stores a new task (always a new row, even when another task has the same title) with its `task.created` event.
    ///
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    public func addTask(_ task: ClientTask) throws -> ClientTask {
        try writer.write { db in try Self.insertTask(db, task, at: now()) }
    }

    /// `addTask` inside the caller's transaction.
    static func insertTask(_ db: Database, _ task: ClientTask, at now: Date) throws -> ClientTask {
        try ClientRecords.requireClient(db, task.clientID)
        try db.execute(
            sql: "INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: .storing([
                task.clientID, task.externalID, task.title, task.due?.timeIntervalSince1970, task.status.rawValue,
                task.priority.rawValue, task.assignee,
            ]))
        var stored = task
        stored.id = db.lastInsertedRowID
        try EventLog.append(db, .taskCreated(stored, id: db.lastInsertedRowID, at: now))
        return stored
    }

    /// Changes task `id` in one transaction: `change` sees the stored task (and may refuse by throwing); a changed
    /// status appends `task.status-changed`.
    ///
    /// - Returns: the task before and after.
    /// - Throws: `StoreError` `.invalidValue` when no task has the id; whatever `change` throws.
    @discardableResult
    public func updateTask(id: Int64, _ change: (inout ClientTask) throws -> Void) throws
        -> (before: ClientTask, after: ClientTask)
    {
        try writer.write { db in
            guard let before = try ClientRecords.taskRow(db, id: id) else {
                throw StoreError.noTask(id)
            }
            var after = before
            try change(&after)
            after.id = id
            after.clientID = before.clientID
            try db.execute(
                sql: "UPDATE tasks SET title = ?, due = ?, status = ?, priority = ?, assignee = ? WHERE id = ?",
                arguments: .storing([
                    after.title, after.due?.timeIntervalSince1970, after.status.rawValue, after.priority.rawValue,
                    after.assignee, id,
                ]))
            if after.status != before.status {
                try EventLog.append(db, .taskStatusChanged(after, id: id, from: before.status, at: now()))
            }
            return (before, after)
        }
    }
}

extension ClientStore {
    /// Appends `task.overdue` for every open task whose due time has passed at `now` and has no such event for
    /// that due time yet, in one transaction (so a task gets one event per due time however often this runs);
    /// returns how many were appended.
    @discardableResult
    public func noteOverdueTasks(now: Date) throws -> Int {
        try writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(ClientRecords.taskColumns) FROM tasks
                    WHERE status IN ('open', 'in-progress') AND due IS NOT NULL AND due < ?
                    ORDER BY due, id
                    """,
                arguments: [now.timeIntervalSince1970])
            var noted = 0
            for row in rows {
                let task = try ClientRecords.task(row)
                guard let id = task.id else { continue }
                let event = DomainEvent.taskOverdue(task, id: id, at: now)
                // The kind written out, as the partial index `events_overdue_task` says it (KAMSchema+EventIndexes).
                let seen = try String.fetchAll(
                    db, sql: "SELECT payload FROM events WHERE kind = 'task.overdue' AND subject_id = ?",
                    arguments: [String(id)])
                let due = event.payload["due"]
                if seen.contains(where: { (try? JSONParser.parse($0))?["due"] == due }) { continue }
                try EventLog.append(db, event)
                noted += 1
            }
            return noted
        }
    }
}

extension ClientRecords {
    static func taskRow(_ db: Database, id: Int64) throws -> ClientTask? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ClientRecords.taskColumns) FROM tasks WHERE id = ?"), arguments: [id])
            .map(ClientRecords.task)
    }
}
