import Foundation
import KAMCore
import PostgresNIO

extension PostgresSuggestionStore {
    public func pendingTwin(of suggestion: Suggestion) throws -> String? {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT id FROM suggestions
                WHERE client_id = \(suggestion.clientID) AND type = \(suggestion.type.rawValue)
                    AND target = \(suggestion.target) AND status IN ('pending', 'snoozed') AND id <> \(suggestion.id)
                """, doing: "looking for an open twin of suggestion \(suggestion.id)"
            ).rows.first?.decode(String.self)
        }
    }

    /// Puts an accepted suggestion back to pending (a compare-and-set on its accepted state); the unique index
    /// refuses it when another open suggestion has taken its place, as on SQLite.
    @discardableResult
    public func reopen(id: String) throws -> Suggestion {
        let at = now()
        return try store.transaction(readOnly: false) { session in
            while true {
                guard let stored = try Self.fetch(session, id: id), stored.suggestion.status == .accepted else {
                    throw StoreError(.invalidValue, "suggestion \(id) is not accepted; only an accept can be undone")
                }
                var suggestion = stored.suggestion
                suggestion.status = .pending
                suggestion.artifact = nil
                let swapped: Bool
                do {
                    swapped = try Self.swap(session, stored, to: suggestion)
                } catch let error as PostgresStoreError where error.isUniqueViolation {
                    throw StoreError(
                        .invalidValue, "suggestion \(id) cannot be pending again: another open one has its place")
                }
                guard swapped else { continue }
                try PostgresEventLog.append(session, .suggestion(.suggestionReopened, suggestion, at: at))
                return suggestion
            }
        }
    }

    /// Resolves the open rule suggestions of a client the rules no longer propose, each a compare-and-set: one that
    /// another process decided meanwhile is left as it is.
    @discardableResult
    public func resolve(clientID: String, keeping proposed: Set<String>, reason: String) throws -> [Suggestion] {
        let at = now()
        return try store.transaction(readOnly: false) { session in
            let open = try session.query(
                """
                SELECT id, document FROM suggestions
                WHERE client_id = \(clientID) AND status IN ('pending', 'snoozed') ORDER BY id
                """, doing: "reading the open suggestions of client \(clientID)"
            ).rows.map { try Stored(row: $0) }
            var resolved: [Suggestion] = []
            for first in open {
                var stored: Stored? = first
                while let current = stored {
                    var s = current.suggestion
                    guard s.status == .pending || s.status == .snoozed, s.source == .rule,
                        !proposed.contains(s.dedupKey)
                    else { break }
                    s.status = .resolved
                    s.resolution = reason
                    if try Self.swap(session, current, to: s) {
                        try PostgresEventLog.append(session, .suggestion(.suggestionResolved, s, at: at))
                        resolved.append(s)
                        break
                    }
                    stored = try Self.fetch(session, id: s.id)
                }
            }
            return resolved
        }
    }
}
