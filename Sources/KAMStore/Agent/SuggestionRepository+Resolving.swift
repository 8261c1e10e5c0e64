import Foundation
import GRDB
import KAMCore

extension SuggestionRepository {
    /// Marks resolved the open (pending or snoozed) rule suggestions of a client that the rules no longer
    /// propose: finishing the overdue task resolves its "escalate" suggestion, logging a call the
    /// "follow-up" one. Model suggestions are left alone (no rule proposes them again).
    ///
    /// - Parameters:
    ///   - proposed: the dedup keys (`Suggestion.dedupKey`) the rules propose now; those stay open.
    ///   - reason: what removed their cause, kept as each suggestion's `resolution`.
    /// - Returns: the suggestions resolved, in their new state (each with its `suggestion.resolved` event).
    @discardableResult
    public func resolve(clientID: String, keeping proposed: Set<String>, reason: String) throws -> [Suggestion] {
        try store.writer.write { db in
            let ids = try String.fetchAll(
                db, sql: "SELECT id FROM suggestions WHERE client_id = ? AND status IN ('pending', 'snoozed') ORDER BY id",
                arguments: [clientID])
            var resolved: [Suggestion] = []
            for id in ids {
                guard var s = try Self.fetch(db, id: id), s.source == .rule, !proposed.contains(s.dedupKey) else {
                    continue
                }
                s.status = .resolved
                s.resolution = reason
                try db.execute(
                    sql: "UPDATE suggestions SET status = 'resolved', document = ? WHERE id = ?",
                    arguments: [try DocumentCoding.encode(s), id])
                try EventLog.append(db, .suggestion(.suggestionResolved, s, at: store.now()))
                resolved.append(s)
            }
            return resolved
        }
    }
}
