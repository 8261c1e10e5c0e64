import Foundation
import GRDB
import KAMCore

extension SuggestionRepository {
    /// Records a person's thumbs up or down on a suggestion.
    /// - Throws: `StoreError` `.invalidValue` when no suggestion has `suggestionID`.
    public func addFeedback(suggestionID: String, _ entry: FeedbackEntry) throws {
        try store.writer.write { db in
            guard let suggestion = try Self.fetch(db, id: suggestionID) else {
                throw StoreError(.invalidValue, "no suggestion has id '\(suggestionID)'; `kam suggest list` shows them")
            }
            try db.execute(
                sql: "INSERT INTO suggestion_feedback (suggestion_id, rating, reason, user_id, at) VALUES (?, ?, ?, ?, ?)",
                arguments: .storing([suggestionID, entry.rating.rawValue, entry.reason, entry.user, entry.at.timeIntervalSince1970]))
            try EventLog.append(
                db,
                .feedbackRecorded(
                    on: "suggestion", id: suggestionID, clientID: suggestion.clientID, rating: entry.rating.rawValue,
                    userID: entry.user, at: entry.at))
        }
    }

    /// The feedback on a suggestion, oldest first.
    public func feedback(suggestionID: String) throws -> [FeedbackEntry] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT rating, reason, user_id, at FROM suggestion_feedback WHERE suggestion_id = ? ORDER BY at, id",
                arguments: [suggestionID]
            ).map {
                FeedbackEntry(
                    rating: FeedbackRating(rawValue: $0["rating"]) ?? .down, reason: $0["reason"], user: $0["user_id"],
                    at: Date(timeIntervalSince1970: $0["at"]))
            }
        }
    }
}
