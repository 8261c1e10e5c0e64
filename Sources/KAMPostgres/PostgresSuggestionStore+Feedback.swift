import Foundation
import KAMCore
import PostgresNIO

extension PostgresSuggestionStore {
    public func addFeedback(suggestionID: String, _ entry: FeedbackEntry) throws {
        try store.transaction(readOnly: false) { session in
            guard let suggestion = try Self.fetch(session, id: suggestionID)?.suggestion else {
                throw StoreError(.invalidValue, "no suggestion has id '\(suggestionID)'; `kam suggest list` shows them")
            }
            try session.query(
                """
                INSERT INTO suggestion_feedback (suggestion_id, rating, reason, user_id, at)
                VALUES (\(suggestionID), \(entry.rating.rawValue), \(entry.reason), \(entry.user),
                    \(entry.at.timeIntervalSince1970))
                """, doing: "recording feedback on suggestion \(suggestionID)")
            try PostgresEventLog.append(
                session,
                .feedbackRecorded(
                    on: "suggestion", id: suggestionID, clientID: suggestion.clientID, rating: entry.rating.rawValue,
                    userID: entry.user, at: entry.at))
        }
    }

    public func feedback(suggestionID: String) throws -> [FeedbackEntry] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT rating, reason, user_id, at FROM suggestion_feedback
                WHERE suggestion_id = \(suggestionID) ORDER BY at, id
                """, doing: "reading the feedback on suggestion \(suggestionID)"
            ).rows.map { row in
                let (rating, reason, user, at) = try row.decode((String, String?, String?, Double).self)
                return FeedbackEntry(
                    rating: FeedbackRating(rawValue: rating) ?? .down, reason: reason, user: user,
                    at: Date(timeIntervalSince1970: at))
            }
        }
    }
}
