import Foundation
import GRDB
import KAMCore

extension DraftRepository {
    /// Up to `limit` drafts matching `filter`, newest first (ties by id), skipping the first `offset`.
    public func page(_ filter: DraftFilter, offset: Int = 0, limit: Int) throws -> [Draft] {
        try store.writer.read { db in
            var (conditions, arguments) = Self.conditions(filter)
            var sql = "SELECT document FROM drafts"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
            _ = arguments.append(contentsOf: [limit, offset])
            return try String.fetchAll(db, sql: sql, arguments: arguments).map {
                try DocumentCoding.decode(Draft.self, from: $0)
            }
        }
    }

    /// The SQL conditions (over `drafts`, unaliased) and their arguments that keep the drafts `filter` asks for.
    static func conditions(_ filter: DraftFilter) -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let clientID = filter.clientID {
            conditions.append("client_id = ?")
            _ = arguments.append(contentsOf: [clientID])
        }
        if let status = filter.status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let kind = filter.kind {
            conditions.append("kind = ?")
            _ = arguments.append(contentsOf: [kind.rawValue])
        }
        if let users = filter.madeByOrForClientsOf {
            let marks = Array(repeating: "?", count: users.count).joined(separator: ", ")
            conditions.append(
                "(json_extract(document, '$.createdBy') IN (\(marks))"
                    + " OR client_id IN (SELECT id FROM clients WHERE owner_id IN (\(marks))))")
            let sorted = users.sorted()
            _ = arguments.append(contentsOf: StatementArguments(sorted + sorted))
        }
        return (conditions, arguments)
    }
}
