import Foundation
import GRDB
import KAMCore

/// Which suggestions a list asks for; nil fields do not filter. A nil or `pending` status lists the open
/// ones: pending, and snoozed ones whose time has come.
public struct SuggestionFilter: Sendable, Hashable {
    public var clientID: String?
    public var type: SuggestionType?
    public var minimumPriority: Int?
    public var status: SuggestionStatus?
    /// Only suggestions for clients one of these users owns (an access scope); nil: all.
    public var clientOwners: Set<String>?

    public init(
        clientID: String? = nil, type: SuggestionType? = nil, minimumPriority: Int? = nil, status: SuggestionStatus? = nil,
        clientOwners: Set<String>? = nil
    ) {
        self.clientID = clientID
        self.type = type
        self.minimumPriority = minimumPriority
        self.status = status
        self.clientOwners = clientOwners
    }
}

extension SuggestionRepository {
    /// Up to `limit` suggestions matching `filter`, highest priority first (then oldest, then by id), skipping
    /// the first `offset`. Pending suggestions whose time is up are marked expired first, so an open list never
    /// shows them.
    public func page(_ filter: SuggestionFilter, offset: Int = 0, limit: Int, now: Date) throws
        -> [Suggestion]
    {
        try store.writer.write { db in
            try Self.expire(db, now: now)
            var conditions: [String] = []
            var arguments: StatementArguments = []
            switch filter.status {
            case nil, .pending?:
                conditions.append("(status = 'pending' OR (status = 'snoozed' AND snoozed_until <= ?))")
                _ = arguments.append(contentsOf: [now.timeIntervalSince1970])
            case let status?:
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            if let clientID = filter.clientID {
                conditions.append("client_id = ?")
                _ = arguments.append(contentsOf: [clientID])
            }
            if let type = filter.type {
                conditions.append("type = ?")
                _ = arguments.append(contentsOf: [type.rawValue])
            }
            if let minimumPriority = filter.minimumPriority {
                conditions.append("priority >= ?")
                _ = arguments.append(contentsOf: [minimumPriority])
            }
            if let owners = filter.clientOwners {
                let marks = Array(repeating: "?", count: owners.count).joined(separator: ", ")
                conditions.append("client_id IN (SELECT id FROM clients WHERE owner_id IN (\(marks)))")
                _ = arguments.append(contentsOf: StatementArguments(owners.sorted()))
            }
            let sql = "SELECT document FROM suggestions WHERE " + conditions.joined(separator: " AND ")
                + " ORDER BY priority DESC, created_at, id LIMIT ? OFFSET ?"
            _ = arguments.append(contentsOf: [limit, offset])
            return try String.fetchAll(db, sql: sql, arguments: arguments).map {
                try DocumentCoding.decode(Suggestion.self, from: $0)
            }
        }
    }
}
