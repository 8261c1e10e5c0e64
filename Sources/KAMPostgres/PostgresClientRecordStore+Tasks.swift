import Foundation
import KAMCore
import PostgresNIO

/// Tasks by hand on PostgreSQL, as `ClientStore+Tasks`. A task changed is read `FOR UPDATE`; the overdue notes
/// hold a transaction-scoped advisory lock, so two processes noting at once append one `task.overdue` a due time.
extension PostgresClientRecordStore {
    public func task(id: Int64) throws -> ClientTask? {
        try store.transaction(readOnly: true) { session in try Self.taskRow(session, id: id, lock: false) }
    }

    public func tasks(
        clientID: String? = nil, assignee: String? = nil, includeClosed: Bool = false, limit: Int = 500,
        owners: Set<String>? = nil
    ) throws -> [ClientTask] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT \(unescaped: Rows.taskColumns) FROM tasks
                WHERE (\(clientID)::text IS NULL OR client_id = \(clientID))
                    AND (\(assignee)::text IS NULL OR assignee = \(assignee))
                    AND (\(includeClosed) OR status IN ('open', 'in-progress'))
                    AND (\(owners == nil) OR client_id IN (
                        SELECT id FROM clients WHERE owner_id = ANY(\(owners.map { Array($0) } ?? []))))
                ORDER BY status NOT IN ('open', 'in-progress'), due IS NULL, due, id LIMIT \(limit)
                """, doing: "reading tasks"
            ).rows.map(Rows.task)
        }
    }

    @discardableResult
    public func addTask(_ task: ClientTask) throws -> ClientTask {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, task.clientID)
            var stored = task
            let id = try Self.insertTask(session, task)
            stored.id = id
            try PostgresEventLog.append(session, .taskCreated(stored, id: id, at: now()))
            return stored
        }
    }

    @discardableResult
    public func updateTask(id: Int64, _ change: (inout ClientTask) throws -> Void) throws
        -> (before: ClientTask, after: ClientTask)
    {
        try store.transaction(readOnly: false) { session in
            guard let before = try Self.taskRow(session, id: id, lock: true) else { throw StoreError.noTask(id) }
            var after = before
            try change(&after)
            after.id = id
            after.clientID = before.clientID
            try session.query(
                """
                UPDATE tasks SET title = \(after.title), due = \(after.due?.timeIntervalSince1970),
                    status = \(after.status.rawValue), priority = \(after.priority.rawValue), assignee = \(after.assignee)
                WHERE id = \(id)
                """, doing: "changing task \(id)")
            if after.status != before.status {
                try PostgresEventLog.append(session, .taskStatusChanged(after, id: id, from: before.status, at: now()))
            }
            return (before, after)
        }
    }

    @discardableResult
    public func noteOverdueTasks(now: Date) throws -> Int {
        try store.transaction(readOnly: false) { session in
            try session.query(
                "SELECT pg_advisory_xact_lock(\(Self.overdueLockKey), hashtext(\(store.configuration.schema)))",
                doing: "waiting for the overdue tasks' lock")
            let overdue = try session.query(
                """
                SELECT \(unescaped: Rows.taskColumns) FROM tasks
                WHERE status IN ('open', 'in-progress') AND due IS NOT NULL AND due < \(now.timeIntervalSince1970)
                ORDER BY due, id
                """, doing: "reading overdue tasks"
            ).rows.map(Rows.task)
            var noted = 0
            for task in overdue {
                guard let id = task.id else { continue }
                let event = DomainEvent.taskOverdue(task, id: id, at: now)
                let seen = try session.query(
                    "SELECT payload FROM events WHERE kind = 'task.overdue' AND subject_id = \(String(id))",
                    doing: "reading the overdue notes of task \(id)"
                ).rows.map { try $0.decode(String.self) }
                let due = event.payload["due"]
                if seen.contains(where: { (try? JSONParser.parse($0))?["due"] == due }) { continue }
                try PostgresEventLog.append(session, event)
                noted += 1
            }
            return noted
        }
    }

    /// Task `id`, or nil; locked until the transaction ends when `lock`.
    static func taskRow(_ session: PostgresSession, id: Int64, lock: Bool) throws -> ClientTask? {
        try session.query(
            """
            SELECT \(unescaped: Rows.taskColumns) FROM tasks WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")
            """, doing: "reading task \(id)"
        ).rows.first.map(Rows.task)
    }

    /// Inserts `task` (no event: the caller appends it) and returns its id.
    static func insertTask(_ session: PostgresSession, _ t: ClientTask) throws -> Int64 {
        let id = try insertedID(
            session,
            """
            INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
            VALUES (\(t.clientID), \(t.externalID), \(t.title), \(t.due?.timeIntervalSince1970), \(t.status.rawValue),
                \(t.priority.rawValue), \(t.assignee))
            RETURNING id
            """, doing: "adding task \(t.title) of \(t.clientID)")
        guard let id else { throw PostgresStoreError(.queryFailed, "the insert of a task returned no id") }
        return id
    }
}
