import KAMCore
import PostgresNIO

extension PostgresDraftStore {
    public func page(_ filter: DraftFilter, offset: Int, limit: Int) throws -> [Draft] {
        var query = PostgresDraftQuery(filter)
        let tail = "ORDER BY created_at DESC, id DESC \(query.limit(limit, offset: offset))"
        return try drafts(query.query("document", tail), doing: "listing drafts")
    }
}
