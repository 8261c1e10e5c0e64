import KAMCore
import PostgresNIO

extension PostgresDraftStore {
    public func approvedEdits(decidedBy userID: String?, clientID: String?, limit: Int) throws -> [Draft] {
        try drafts(
            Self.approvedEditsQuery("document", decidedBy: userID, clientID: clientID, promptID: nil, limit: limit),
            doing: "reading the drafts approved after an edit")
    }

    /// The two bodies are taken out of the document by the server (`#>>`), so the drafts' prompts and context
    /// snapshots never cross the wire: every draft generation reads a writer's and a client's.
    public func editedBodies(
        decidedBy userID: String?, clientID: String?, promptID: String?, limit: Int
    ) throws -> [(original: String, final: String)] {
        let query = Self.approvedEditsQuery(
            "document::json #>> '{original,body}', document::json #>> '{edited,body}'", decidedBy: userID,
            clientID: clientID, promptID: promptID, limit: limit)
        return try store.transaction(readOnly: true) { session in
            try session.query(query, doing: "reading the bodies of the drafts approved after an edit").rows.map { row in
                let (original, final) = try row.decode((String?, String?).self)
                return (original: original ?? "", final: final ?? "")
            }
        }
    }

    /// SQLite orders NULL first, so a descending order puts a draft without a decision time last: `NULLS LAST`.
    private static func approvedEditsQuery(
        _ columns: String, decidedBy userID: String?, clientID: String?, promptID: String?, limit: Int
    ) -> PostgresQuery {
        var query = PostgresDraftQuery()
        query.require("status IN ('edited-and-approved', 'sent')")
        query.require("document::json ->> 'edited' IS NOT NULL")
        if let userID { query.require("document::json ->> 'decidedBy' =", userID) }
        if let clientID { query.require("client_id =", clientID) }
        if let promptID { query.require("prompt_id =", promptID) }
        let tail = "ORDER BY decided_at DESC NULLS LAST, id DESC \(query.limit(limit))"
        return query.query(columns, tail)
    }
}
