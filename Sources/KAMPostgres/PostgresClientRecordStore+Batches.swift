import Foundation
import KAMCore
import PostgresNIO

/// The batch upserts of an import's tasks and memory items (`ImportSink.upsertTasks`, `upsertMemories`), as
/// `upsertActivities` for activities: the records new to the store go in by one `INSERT … SELECT FROM unnest … ORDER
/// BY … ON CONFLICT DO NOTHING` (each takes its identity value in turn, as its own insert would), and the rest (a key
/// already stored) through the one-record upsert, which updates them. Each record is answered in order, so the rows,
/// ids and events are the ones the calls one at a time leave; a batch of a CSV import's rows is then two statements,
/// not one a record (each a round trip).
extension PostgresClientRecordStore {
    /// `upsertTask` for each of `tasks` (each with an external id, none twice: the caller's batch).
    static func upsertTasks(
        _ session: PostgresSession, _ tasks: [ClientTask], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = tasks.first else { return [] }
        let clientIDs = tasks.map(\.clientID), externalIDs = tasks.map { $0.externalID ?? "" }, titles = tasks.map(\.title)
        let hasDue = tasks.map { $0.due != nil }, dues = tasks.map { $0.due?.timeIntervalSince1970 ?? 0 }
        let statuses = tasks.map(\.status.rawValue), priorities = tasks.map(\.priority.rawValue)
        let hasAssignee = tasks.map { $0.assignee != nil }, assignees = tasks.map { $0.assignee ?? "" }
        var inserted: [String: Int64] = [:]
        for row in try session.query(
            """
            INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
            SELECT v.client_id, v.external_id, v.title, CASE WHEN v.has_due THEN v.due END, v.status, v.priority,
              CASE WHEN v.has_assignee THEN v.assignee END
            FROM unnest(\(clientIDs), \(externalIDs), \(titles), \(hasDue), \(dues), \(statuses), \(priorities),
              \(hasAssignee), \(assignees))
              WITH ORDINALITY AS v (client_id, external_id, title, has_due, due, status, priority, has_assignee, assignee, n)
            ORDER BY n
            ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id
            """, doing: "storing \(tasks.count) tasks of \(first.clientID) and the clients after it"
        ).rows {
            let (id, externalID) = try row.decode((Int64, String).self)
            inserted[externalID] = id
        }
        return try ImportBatch.each(tasks) { task in
            guard let id = task.externalID.flatMap({ inserted[$0] }) else {
                return try upsertTask(session, task, at: now, announcingCreation: announcingCreation)
            }
            if announcingCreation { try PostgresEventLog.append(session, .taskCreated(task, id: id, at: now)) }
            return (id, .created)
        }
    }

    /// `upsertMemory` for each of `items` (no client and key twice: the caller's batch).
    static func upsertMemories(
        _ session: PostgresSession, _ items: [MemoryItem], announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = items.first else { return [] }
        let clientIDs = items.map(\.clientID), kinds = items.map(\.kind.rawValue), keys = items.map(\.key)
        let values = items.map(\.value), sources = items.map(\.source), confidences = items.map(\.confidence)
        let times = items.map(\.updatedAt.timeIntervalSince1970)
        var inserted: [MemoryKey: Int64] = [:]
        for row in try session.query(
            """
            INSERT INTO client_memory (client_id, kind, key, value, source, confidence, updated_at)
            SELECT v.client_id, v.kind, v.key, v.value, v.source, v.confidence, v.updated_at
            FROM unnest(\(clientIDs), \(kinds), \(keys), \(values), \(sources), \(confidences), \(times))
              WITH ORDINALITY AS v (client_id, kind, key, value, source, confidence, updated_at, n)
            ORDER BY n
            ON CONFLICT (client_id, key) DO NOTHING RETURNING id, client_id, key
            """, doing: "remembering \(items.count) items of \(first.clientID) and the clients after it"
        ).rows {
            let (id, clientID, key) = try row.decode((Int64, String, String).self)
            inserted[MemoryKey(client: clientID, key: key)] = id
        }
        return try ImportBatch.each(items) { item in
            guard let id = inserted[MemoryKey(client: item.clientID, key: item.key)] else {
                return try upsertMemory(session, item, announcingCreation: announcingCreation)
            }
            if announcingCreation {
                try PostgresEventLog.append(session, .memoryRemembered(item, id: id, created: true, at: item.updatedAt))
            }
            return (id, .created)
        }
    }

    private struct MemoryKey: Hashable {
        var client: String
        var key: String
    }
}
