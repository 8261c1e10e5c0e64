import Foundation
import GRDB
import KAMCore

extension DraftRepository {
    /// The drafts approved (or sent) after a person's edit, approved by `userID` and for `clientID` when given, the
    /// newest decision first: what a style profile learns from (`StyleProfile`).
    public func approvedEdits(decidedBy userID: String? = nil, clientID: String? = nil, limit: Int = 200) throws -> [Draft] {
        try store.writer.read { db in
            var conditions = ["status IN ('edited-and-approved', 'sent')", "json_extract(document, '$.edited') IS NOT NULL"]
            var arguments: StatementArguments = []
            if let userID {
                conditions.append("json_extract(document, '$.decidedBy') = ?")
                _ = arguments.append(contentsOf: [userID])
            }
            if let clientID {
                conditions.append("client_id = ?")
                _ = arguments.append(contentsOf: [clientID])
            }
            _ = arguments.append(contentsOf: [limit])
            return try String.fetchAll(
                db,
                sql: "SELECT document FROM drafts WHERE \(conditions.joined(separator: " AND "))"
                    + " ORDER BY decided_at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map { try DocumentCoding.decode(Draft.self, from: $0) }
        }
    }
}
