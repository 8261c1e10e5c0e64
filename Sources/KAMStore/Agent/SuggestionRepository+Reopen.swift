import Foundation
import GRDB
import KAMCore

extension SuggestionRepository {
    /// The id of another open (pending or snoozed) suggestion of the same client, type and target as `suggestion`, if
    /// one exists: it stands where `suggestion` would when reopened (at most one such suggestion is open).
    public func pendingTwin(of suggestion: Suggestion) throws -> String? {
        try store.writer.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT id FROM suggestions WHERE client_id = ? AND type = ? AND target = ? AND status IN ('pending', 'snoozed') AND id != ?",
                arguments: [suggestion.clientID, suggestion.type.rawValue, suggestion.target, suggestion.id])
        }
    }

    /// Puts an accepted suggestion back to pending with no artifact (undoing the accept), with its `suggestion.reopened`
    /// event, in one transaction.
    /// - Throws: `StoreError` `.invalidValue` when it is not accepted, or another pending suggestion has taken its
    ///   place (`pendingTwin`).
    @discardableResult
    public func reopen(id: String) throws -> Suggestion {
        try store.writer.write { db in
            guard var suggestion = try Self.fetch(db, id: id), suggestion.status == .accepted else {
                throw StoreError(.invalidValue, "suggestion \(id) is not accepted; only an accept can be undone")
            }
            suggestion.status = .pending
            suggestion.artifact = nil
            do {
                try db.execute(
                    sql: "UPDATE suggestions SET status = 'pending', document = ? WHERE id = ?",
                    arguments: [try DocumentCoding.encode(suggestion), id])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.invalidValue, "suggestion \(id) cannot be pending again: another open one has its place")
            }
            try EventLog.append(db, .suggestion(.suggestionReopened, suggestion, at: store.now()))
            return suggestion
        }
    }
}
