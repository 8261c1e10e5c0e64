import Foundation
import GRDB
import KAMCore

extension SuggestionRepository {
    /// Dismisses open suggestion `id` in one transaction: its status, kind and note with the `suggestion.dismissed`
    /// event; the dismissal kept for `DismissalLearning`; and, when it is the `DismissalLearning.dataQualityCount`th
    /// "already done" on its origin within `dataQualityDays`, a data-quality notification to `userID` (one a origin a
    /// window: not when that user already has one with the same title in it).
    public func dismiss(id: String, reason: DismissReason, note: String?, userID: String?, now: Date) throws -> DismissedSuggestion {
        try store.writer.write { db in
            let s = try Self.decide(db, id: id, at: now) { $0.markDismissed(reason, note: note) }
            let dismissal = Dismissal(dismissing: s, reason: reason, note: note, userID: userID, at: now)
            try db.execute(
                sql: """
                    INSERT INTO suggestion_dismissals (suggestion_id, user_id, client_id, type, rule, reason, note, dismissed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    s.id, userID, s.clientID, s.type.rawValue, s.rule, reason.rawValue, note, now.timeIntervalSince1970,
                ])
            guard reason == .alreadyDone, let userID else { return DismissedSuggestion(suggestion: s, dataQualityNotification: nil) }
            let window = now.addingTimeInterval(-Double(DismissalLearning.dataQualityDays) * 86_400)
            let recent = try Self.dismissals(
                db, where: "reason = 'already-done' AND dismissed_at > ? AND "
                    + (s.rule == nil ? "rule IS NULL AND type = ?" : "rule = ?"),
                [window.timeIntervalSince1970, s.rule ?? s.type.rawValue])
            guard let notice = DismissalLearning.dataQuality(after: dismissal, recent: recent),
                try !NotificationRepository.exists(
                    db, userID: userID, rule: DismissalLearning.dataQualityRule, title: notice.title, since: window)
            else { return DismissedSuggestion(suggestion: s, dataQualityNotification: nil) }
            let notification = try NotificationRepository.insert(
                db, userID: userID, clientID: s.clientID, causeEventID: nil, rule: DismissalLearning.dataQualityRule,
                title: notice.title, body: notice.body, at: now)
            return DismissedSuggestion(suggestion: s, dataQualityNotification: notification)
        }
    }

    /// `userID`'s dismissals at or after `since`, newest first.
    public func dismissals(userID: String?, since: Date) throws -> [Dismissal] {
        try store.writer.read { db in
            try Self.dismissals(
                db, where: (userID == nil ? "user_id IS NULL" : "user_id = ?") + " AND dismissed_at >= ?",
                (userID.map { [$0] } ?? []) + [since.timeIntervalSince1970])
        }
    }

    static func dismissals(_ db: Database, where condition: String, _ arguments: [any DatabaseValueConvertible]) throws
        -> [Dismissal]
    {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM suggestion_dismissals WHERE \(condition) ORDER BY dismissed_at DESC, id DESC",
            arguments: StatementArguments(arguments)
        ).map { row in
            guard let type = SuggestionType(rawValue: row["type"]), let reason = DismissReason(rawValue: row["reason"]) else {
                throw StoreError(
                    .invalidValue,
                    "suggestion_dismissals row \(row["id"] as Int64? ?? 0) has type '\(row["type"] as String? ?? "")' or reason "
                        + "'\(row["reason"] as String? ?? "")' this kam does not know; was it written by a newer kam?")
            }
            return Dismissal(
                suggestionID: row["suggestion_id"], userID: row["user_id"], clientID: row["client_id"], type: type,
                rule: row["rule"], reason: reason, note: row["note"], at: Date(timeIntervalSince1970: row["dismissed_at"]))
        }
    }
}
