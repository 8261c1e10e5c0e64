import Foundation
import GRDB
import KAMCore

extension DraftRepository {
    /// The drafts approved (or sent) after a person's edit, approved by `userID` and for `clientID` when given, the
    /// newest decision first: what `kam style evaluate` holds out and writes again.
    public func approvedEdits(decidedBy userID: String? = nil, clientID: String? = nil, limit: Int = 200) throws -> [Draft] {
        try store.writer.read { db in
            try String.fetchAll(
                db, Self.approvedEdits("document", decidedBy: userID, clientID: clientID, promptID: nil, limit: limit))
                .map { try DocumentCoding.decode(Draft.self, from: $0) }
        }
    }

    /// The model's body and the approved body of the same drafts as `approvedEdits` (of one prompt's drafts when
    /// `promptID` is given): what a style profile learns from (`StyleProfile`) and a prompt refinement shows as evidence,
    /// read without decoding whole drafts (their prompts and context snapshots), since every draft generation reads a
    /// writer's and a client's.
    public func editedBodies(
        decidedBy userID: String? = nil, clientID: String? = nil, promptID: String? = nil, limit: Int = 200
    ) throws
        -> [(original: String, final: String)]
    {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                Self.approvedEdits(
                    "json_extract(document, '$.original.body') AS original, json_extract(document, '$.edited.body') AS final",
                    decidedBy: userID, clientID: clientID, promptID: promptID, limit: limit)
            ).map { (original: $0["original"] ?? "", final: $0["final"] ?? "") }
        }
    }

    private static func approvedEdits(
        _ columns: String, decidedBy userID: String?, clientID: String?, promptID: String?, limit: Int
    ) -> SQLRequest<Row> {
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
        if let promptID {
            conditions.append("prompt_id = ?")
            _ = arguments.append(contentsOf: [promptID])
        }
        _ = arguments.append(contentsOf: [limit])
        return SQLRequest(
            sql: "SELECT \(columns) FROM drafts WHERE \(conditions.joined(separator: " AND "))"
                + " ORDER BY decided_at DESC, id DESC LIMIT ?",
            arguments: arguments)
    }
}
