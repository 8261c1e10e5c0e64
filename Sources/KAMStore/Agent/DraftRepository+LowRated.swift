import Foundation
import GRDB
import KAMCore

extension DraftRepository {
    /// The drafts matching `filter` (created at or after `since`, of `promptID` when given) that are low-rated:
    /// a thumbs down, a rejection, or an approval at or above `heavyEditRatio` of the text changed; each with
    /// what made it low. Newest first, at most `limit` candidates read.
    public func lowRated(
        _ filter: DraftFilter, promptID: String? = nil, since: Date? = nil, heavyEditRatio: Double, limit: Int = 5_000
    ) throws -> [LowRatedOutput] {
        try store.writer.read { db in
            var (conditions, arguments) = Self.conditions(filter)
            // Candidates: rejected, approved with an edit, or given a thumbs down; the ratio is checked in Swift.
            conditions.append(
                "(status = 'rejected' OR json_extract(document, '$.edited') IS NOT NULL"
                    + " OR EXISTS (SELECT 1 FROM draft_feedback f WHERE f.draft_id = drafts.id AND f.rating = 'down'))")
            if let promptID {
                conditions.append("prompt_id = ?")
                _ = arguments.append(contentsOf: [promptID])
            }
            if let since {
                conditions.append("created_at >= ?")
                _ = arguments.append(contentsOf: [since.timeIntervalSince1970])
            }
            _ = arguments.append(contentsOf: [limit])
            let drafts = try String.fetchAll(
                db,
                sql: "SELECT document FROM drafts WHERE \(conditions.joined(separator: " AND "))"
                    + " ORDER BY created_at DESC, id DESC LIMIT ?",
                arguments: arguments
            ).map { try DocumentCoding.decode(Draft.self, from: $0) }
            guard !drafts.isEmpty else { return [] }
            var feedback: [String: [(rating: FeedbackRating, reason: String?)]] = [:]
            let marks = Array(repeating: "?", count: drafts.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db,
                sql: "SELECT draft_id, rating, reason FROM draft_feedback WHERE draft_id IN (\(marks)) ORDER BY at, id",
                arguments: StatementArguments(drafts.map(\.id)))
            {
                feedback[row["draft_id"], default: []].append((FeedbackRating(rawValue: row["rating"]) ?? .down, row["reason"]))
            }
            return drafts.compactMap {
                LowRatedOutput(draft: $0, feedback: feedback[$0.id] ?? [], heavyEditRatio: heavyEditRatio)
            }
        }
    }
}
