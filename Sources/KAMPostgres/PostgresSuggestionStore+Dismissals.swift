import Foundation
import KAMCore
import PostgresNIO

extension PostgresSuggestionStore {
    /// The advisory lock's first key: "kam data quality" (the second hashes the schema and the dismissed origin).
    static let dataQualityLockKey: Int32 = 0x4B41_4D03

    /// Dismisses open suggestion `id` (a compare-and-set, as `decide`), keeps the dismissal, and raises the
    /// data-quality notification when it is the `DismissalLearning.dataQualityCount`th "already done" on its origin.
    ///
    /// An "already done" dismissal first takes a transaction-scoped advisory lock on its origin, so two of them at
    /// once count each other (the second reads the first's row after its commit) and raise one notification, as
    /// SQLite's single writer makes them.
    public func dismiss(id: String, reason: DismissReason, note: String?, userID: String?, now: Date) throws
        -> DismissedSuggestion
    {
        try store.transaction(readOnly: false) { session in
            let s = try Self.decide(session, id: id, at: now) { $0.markDismissed(reason, note: note) }
            let dismissal = Dismissal(dismissing: s, reason: reason, note: note, userID: userID, at: now)
            let origin = dismissal.origin
            if reason == .alreadyDone {
                try session.query(
                    """
                    SELECT pg_advisory_xact_lock(\(Self.dataQualityLockKey),
                        hashtext(\(store.configuration.schema) || '/' || \(origin)))
                    """, doing: "waiting for the data-quality lock of \(origin)")
            }
            try session.query(
                """
                INSERT INTO suggestion_dismissals (suggestion_id, user_id, client_id, type, rule, reason, note, dismissed_at)
                VALUES (\(s.id), \(userID), \(s.clientID), \(s.type.rawValue), \(s.rule), \(reason.rawValue), \(note),
                    \(now.timeIntervalSince1970))
                """, doing: "keeping the dismissal of suggestion \(s.id)")
            guard reason == .alreadyDone, let userID else {
                return DismissedSuggestion(suggestion: s, dataQualityNotification: nil)
            }
            let window = now.addingTimeInterval(-Double(DismissalLearning.dataQualityDays) * 86_400)
            let since = window.timeIntervalSince1970
            let sameOrigin: PostgresQuery =
                if let rule = s.rule {
                    """
                    \(unescaped: Self.dismissalColumns) WHERE reason = 'already-done' AND dismissed_at > \(since)
                        AND rule = \(rule) \(unescaped: Self.newestFirst)
                    """
                } else {
                    """
                    \(unescaped: Self.dismissalColumns) WHERE reason = 'already-done' AND dismissed_at > \(since)
                        AND rule IS NULL AND type = \(s.type.rawValue) \(unescaped: Self.newestFirst)
                    """
                }
            let recent = try Self.dismissals(session, sameOrigin)
            guard let notice = DismissalLearning.dataQuality(after: dismissal, recent: recent),
                try !PostgresNotifications.exists(
                    session, userID: userID, rule: DismissalLearning.dataQualityRule, title: notice.title, since: window
                )
            else { return DismissedSuggestion(suggestion: s, dataQualityNotification: nil) }
            let notification = try PostgresNotifications.insert(
                session, userID: userID, clientID: s.clientID, causeEventID: nil,
                rule: DismissalLearning.dataQualityRule,
                title: notice.title, body: notice.body, at: now)
            return DismissedSuggestion(suggestion: s, dataQualityNotification: notification)
        }
    }

    public func dismissals(userID: String?, since: Date) throws -> [Dismissal] {
        let since = since.timeIntervalSince1970
        let query: PostgresQuery =
            if let userID {
                """
                \(unescaped: Self.dismissalColumns) WHERE user_id = \(userID) AND dismissed_at >= \(since)
                \(unescaped: Self.newestFirst)
                """
            } else {
                """
                \(unescaped: Self.dismissalColumns) WHERE user_id IS NULL AND dismissed_at >= \(since)
                \(unescaped: Self.newestFirst)
                """
            }
        return try store.transaction(readOnly: true) { session in try Self.dismissals(session, query) }
    }

    private static let dismissalColumns = """
        SELECT suggestion_id, user_id, client_id, type, rule, reason, note, dismissed_at FROM suggestion_dismissals
        """
    private static let newestFirst = "ORDER BY dismissed_at DESC, id DESC"

    /// The dismissals `query` selects (`dismissalColumns`, a condition, `newestFirst`).
    private static func dismissals(_ session: PostgresSession, _ query: PostgresQuery) throws -> [Dismissal] {
        try session.query(query, doing: "reading dismissals").rows.map { row in
            let (suggestionID, userID, clientID, typeText, rule, reasonText, note, at) = try row.decode(
                (String, String?, String, String, String?, String, String?, Double).self)
            let type: SuggestionType = try PostgresColumn.enumValue(typeText, "type", table: "suggestion_dismissals")
            let reason: DismissReason = try PostgresColumn.enumValue(reasonText, "reason", table: "suggestion_dismissals")
            return Dismissal(
                suggestionID: suggestionID, userID: userID, clientID: clientID, type: type, rule: rule, reason: reason,
                note: note, at: Date(timeIntervalSince1970: at))
        }
    }
}
