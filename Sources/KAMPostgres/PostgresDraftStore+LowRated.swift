import Foundation
import KAMCore
import PostgresNIO

extension PostgresDraftStore {
    /// The low-rated drafts as `DraftRepository.lowRated` finds them: the candidates (rejected, approved with an
    /// edit, or given a thumbs down) and their feedback read in one snapshot, the edit ratio checked in Swift.
    public func lowRated(
        _ filter: DraftFilter, promptID: String?, since: Date?, heavyEditRatio: Double, limit: Int
    ) throws -> [LowRatedOutput] {
        var query = PostgresDraftQuery(filter)
        query.require(
            "(status = 'rejected' OR document::json ->> 'edited' IS NOT NULL"
                + " OR EXISTS (SELECT 1 FROM draft_feedback f WHERE f.draft_id = drafts.id AND f.rating = 'down'))")
        if let promptID { query.require("prompt_id =", promptID) }
        if let since { query.require("created_at >=", since.timeIntervalSince1970) }
        let tail = "ORDER BY created_at DESC, id DESC \(query.limit(limit))"
        return try store.transaction(readOnly: true) { session -> [LowRatedOutput] in
            let drafts = try Self.drafts(session, query.query("document", tail), doing: "reading low-rated drafts")
            guard !drafts.isEmpty else { return [] }
            var feedback: [String: [(rating: FeedbackRating, reason: String?)]] = [:]
            for row in try session.query(
                """
                SELECT draft_id, rating, reason FROM draft_feedback WHERE draft_id = ANY(\(drafts.map(\.id)))
                ORDER BY at, id
                """, doing: "reading the feedback on low-rated drafts"
            ).rows {
                let (draftID, rating, reason) = try row.decode((String, String, String?).self)
                feedback[draftID, default: []].append((FeedbackRating(rawValue: rating) ?? .down, reason))
            }
            return drafts.compactMap {
                LowRatedOutput(draft: $0, feedback: feedback[$0.id] ?? [], heavyEditRatio: heavyEditRatio)
            }
        }
    }
}
