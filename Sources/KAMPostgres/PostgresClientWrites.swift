import Foundation
import KAMCore
import PostgresNIO

/// Writes of the client memory tables inside a caller's transaction, as KAMStore's `ClientRecords` makes them on
/// SQLite (the same matching, the same events): what an email intake writes besides the email.
///
/// An activity or a task with an external id is inserted `ON CONFLICT (external_id) DO NOTHING`, so two processes
/// bringing the same one at once insert it once (the second waits for the first's commit on the unique index, then
/// finds its row and updates it), as SQLite's single writer makes them.
enum PostgresClientWrites {
    /// SQLite's error for a client the store does not have (`ClientRecords.requireClient`).
    static func requireClient(_ session: PostgresSession, _ id: String) throws {
        let found = try session.query("SELECT 1 FROM clients WHERE id = \(id)", doing: "reading client \(id)").rows
        if found.first == nil {
            throw StoreError(.clientNotFound, "no client has id '\(id)'; `kam clients list` shows the ids")
        }
    }

    /// Inserts an activity with its `activity.logged` event, or updates the one with the same external id; its id.
    @discardableResult
    static func upsertActivity(_ session: PostgresSession, _ a: Activity, at now: Date) throws -> Int64 {
        let doing = "storing an activity of client \(a.clientID)"
        let inserted = try session.query(
            """
            INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject, body,
              sentiment)
            VALUES (\(a.clientID), \(a.contactID), \(a.externalID), \(a.kind.rawValue), \(a.direction.rawValue),
              \(a.occurredAt.timeIntervalSince1970), \(a.subject), \(a.body), \(a.sentiment))
            ON CONFLICT (external_id) DO NOTHING
            RETURNING id
            """, doing: doing)
        if let id = try inserted.rows.first?.decode(Int64.self) {
            try PostgresEventLog.append(session, .activityLogged(a, id: id, at: now))
            return id
        }
        // Not inserted: a row has this (non-nil) external id.
        let existing =
            try session.query("SELECT id FROM activities WHERE external_id = \(a.externalID)", doing: doing).rows.first?
            .decode(Int64.self) ?? 0
        try session.query(
            """
            UPDATE activities SET client_id = \(a.clientID), contact_id = \(a.contactID), external_id = \(a.externalID),
              kind = \(a.kind.rawValue), direction = \(a.direction.rawValue),
              occurred_at = \(a.occurredAt.timeIntervalSince1970), subject = \(a.subject), body = \(a.body),
              sentiment = \(a.sentiment)
            WHERE id = \(existing)
            """, doing: doing)
        return existing
    }

    /// Inserts or updates a task, by external id, else by title within the client, with its event: `task.created`
    /// for a new one, `task.status-changed` when an update changes its status; its id.
    @discardableResult
    static func upsertTask(_ session: PostgresSession, _ t: ClientTask, at now: Date) throws -> Int64 {
        let doing = "storing task '\(t.title)' of client \(t.clientID)"
        func idAndStatus(_ query: PostgresQuery) throws -> (id: Int64, status: String)? {
            guard let row = try session.query(query, doing: doing).rows.first else { return nil }
            let (id, status) = try row.decode((Int64, String).self)
            return (id, status)
        }
        let found: (id: Int64, status: String)?
        if let externalID = t.externalID {
            let inserted = try session.query(
                """
                INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
                VALUES (\(t.clientID), \(externalID), \(t.title), \(t.due?.timeIntervalSince1970), \(t.status.rawValue),
                  \(t.priority.rawValue), \(t.assignee))
                ON CONFLICT (external_id) DO NOTHING
                RETURNING id
                """, doing: doing)
            if let id = try inserted.rows.first?.decode(Int64.self) {
                try PostgresEventLog.append(session, .taskCreated(t, id: id, at: now))
                return id
            }
            found = try idAndStatus("SELECT id, status FROM tasks WHERE external_id = \(externalID)")
        } else {
            found = try idAndStatus(
                """
                SELECT id, status FROM tasks WHERE client_id = \(t.clientID) AND title = \(t.title)
                  AND external_id IS NULL
                ORDER BY id LIMIT 1
                """)
        }
        if let found {
            try session.query(
                """
                UPDATE tasks SET client_id = \(t.clientID), external_id = \(t.externalID), title = \(t.title),
                  due = \(t.due?.timeIntervalSince1970), status = \(t.status.rawValue),
                  priority = \(t.priority.rawValue), assignee = \(t.assignee)
                WHERE id = \(found.id)
                """, doing: doing)
            if let before = TaskStatus(rawValue: found.status), before != t.status {
                try PostgresEventLog.append(session, .taskStatusChanged(t, id: found.id, from: before, at: now))
            }
            return found.id
        }
        let inserted = try session.query(
            """
            INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
            VALUES (\(t.clientID), NULL, \(t.title), \(t.due?.timeIntervalSince1970), \(t.status.rawValue),
              \(t.priority.rawValue), \(t.assignee))
            RETURNING id
            """, doing: doing)
        guard let id = try inserted.rows.first?.decode(Int64.self) else {
            throw PostgresStoreError(.queryFailed, "the insert of task '\(t.title)' returned no id")
        }
        try PostgresEventLog.append(session, .taskCreated(t, id: id, at: now))
        return id
    }
}
