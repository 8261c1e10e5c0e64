import Foundation
import KAMCore
import PostgresNIO

/// Drafts, their history and feedback in a PostgreSQL database, as `DraftRepository` keeps them in SQLite: the
/// core's `DraftStoring`, shared by every process that opens the database.
///
/// A draft row keeps the whole `Draft` as a JSON document (the bytes SQLite holds) plus the columns queries filter
/// on; every write is one transaction with its `draft_events` entry and its domain event (`PostgresEventLog`).
///
/// A state change is a compare-and-set, where SQLite relies on its single writer: `update` reads the draft, applies
/// the change, and saves it only `WHERE status = <as read> AND document = <as read>`. When another process changed
/// the draft in between (its transaction committed first; the UPDATE waits for its row lock, then finds the row
/// changed), nothing is written, and the draft is read again in the same transaction and the change applied to
/// what it now is: the transition of the core then throws `DraftTransitionError` for a draft already decided, as it
/// does on SQLite, and an edit saved in between is kept by an approval that follows it. So of two processes
/// approving and rejecting one pending draft, exactly one wins, and only its history entry and event are written.
/// The whole document, not the status alone, is compared: an edit leaves the status pending, and an approval built
/// from the draft as it was before that edit would otherwise drop it.
///
/// For example:
///
///     let drafts = PostgresDraftStore(store: try await PostgresStore.open(configuration))
///     try drafts.insert(draft)
///     try drafts.update(id: draft.id, action: "approve", user: "ana", detail: nil) {
///         try $0.approve(by: "ana", at: now)
///     }
public struct PostgresDraftStore: DraftStoring {
    public let store: PostgresStore

    /// How many times `update` reads a draft again after losing a compare-and-set before it gives up: each loss
    /// means another process committed a change to the same draft meanwhile.
    static let attempts = 32

    public init(store: PostgresStore) {
        self.store = store
    }

    public func insert(_ draft: Draft) throws {
        try store.transaction(readOnly: false) { session in try Self.insert(session, draft, detail: draft.hint) }
    }

    /// Stores a new pending draft with its history entry (whose detail is `detail`: the hint, or the email an
    /// acknowledgment answers) and its `draft.created` event, in `session`'s transaction.
    static func insert(_ session: PostgresSession, _ d: Draft, detail: String?) throws {
        let document = try DocumentCoding.encode(d)
        try session.query(
            """
            INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, decided_at, sent_at,
              prompt_id, prompt_version, prompt_hash, provider, model, is_offline, experiment_id, variant, document)
            VALUES (\(d.id), \(d.clientID), \(d.kind.rawValue), \(d.status.rawValue),
              \(d.createdAt.timeIntervalSince1970), \(d.updatedAt.timeIntervalSince1970),
              \(d.decidedAt?.timeIntervalSince1970), \(d.sentAt?.timeIntervalSince1970), \(d.promptID),
              \(d.promptVersion), \(d.promptHash), \(d.provider), \(d.model), \(d.isOffline), \(d.experimentID),
              \(d.variant), \(document))
            """, doing: "storing draft \(d.id)")
        try appendHistory(session, draft: d, action: "created", from: nil, user: d.createdBy, detail: detail)
        try PostgresEventLog.append(session, .draft(.draftCreated, d))
    }

    @discardableResult
    public func update(
        id: String, action: String, user: String?, detail: String? = nil, _ change: (inout Draft) throws -> Void
    ) throws -> Draft {
        try store.transaction(readOnly: false) { session -> Draft in
            for _ in 0..<Self.attempts {
                guard let stored = try Self.document(session, id: id) else { throw Self.notFound(id) }
                var draft = try DocumentCoding.decode(Draft.self, from: stored)
                let before = draft.status
                try change(&draft)
                let document = try DocumentCoding.encode(draft)
                let saved = try session.query(
                    """
                    UPDATE drafts SET status = \(draft.status.rawValue),
                        updated_at = \(draft.updatedAt.timeIntervalSince1970),
                        decided_at = \(draft.decidedAt?.timeIntervalSince1970),
                        sent_at = \(draft.sentAt?.timeIntervalSince1970), document = \(document)
                    WHERE id = \(id) AND status = \(before.rawValue) AND document = \(stored)
                    """, doing: "saving draft \(id)")
                // Another process changed the draft since it was read: apply the change to the draft as it is now.
                guard saved.metadata.rows == 1 else { continue }
                try Self.appendHistory(session, draft: draft, action: action, from: before, user: user, detail: detail)
                if let kind = EventKind.draftChange(from: before, to: draft.status, action: action) {
                    try PostgresEventLog.append(session, .draft(kind, draft))
                }
                return draft
            }
            throw PostgresStoreError(
                .timeout,
                "draft \(id) was changed by others \(Self.attempts) times while this \(action) was being saved; "
                    + "nothing was saved: try again")
        }
    }

    public func draft(id: String) throws -> Draft? {
        try store.transaction(readOnly: true) { session in
            try Self.document(session, id: id).map { try DocumentCoding.decode(Draft.self, from: $0) }
        }
    }

    public func approved(since: Date?, promptID: String?) throws -> [Draft] {
        var query = PostgresDraftQuery()
        query.require("status IN ('approved', 'edited-and-approved', 'sent')")
        if let since { query.require("created_at >=", since.timeIntervalSince1970) }
        if let promptID { query.require("prompt_id =", promptID) }
        return try drafts(query.query("document", "ORDER BY created_at, id"), doing: "reading the approved drafts")
    }

    public func events(draftID: String) throws -> [DraftEvent] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT at, action, from_status, to_status, user_id, detail FROM draft_events
                WHERE draft_id = \(draftID) ORDER BY at, id
                """, doing: "reading the history of draft \(draftID)"
            ).rows.map { row in
                let (at, action, from, to, user, detail) = try row.decode(
                    (Double, String, String?, String, String?, String?).self)
                return DraftEvent(
                    at: Date(timeIntervalSince1970: at), action: action,
                    from: from.flatMap(DraftStatus.init(rawValue:)),
                    to: DraftStatus(rawValue: to) ?? .pending, user: user, detail: detail)
            }
        }
    }

    public func addFeedback(draftID: String, rating: FeedbackRating, reason: String?, user: String?, at: Date) throws {
        try store.transaction(readOnly: false) { session in
            guard
                let clientID = try session.query(
                    "SELECT client_id FROM drafts WHERE id = \(draftID)", doing: "reading draft \(draftID)"
                ).rows.first?.decode(String.self)
            else { throw Self.notFound(draftID) }
            try session.query(
                """
                INSERT INTO draft_feedback (draft_id, rating, reason, user_id, at)
                VALUES (\(draftID), \(rating.rawValue), \(reason), \(user), \(at.timeIntervalSince1970))
                """, doing: "recording feedback on draft \(draftID)")
            try PostgresEventLog.append(
                session,
                .feedbackRecorded(
                    on: "draft", id: draftID, clientID: clientID, rating: rating.rawValue, userID: user, at: at))
        }
    }

    public func feedback(draftID: String) throws -> [(rating: FeedbackRating, reason: String?)] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT rating, reason FROM draft_feedback WHERE draft_id = \(draftID) ORDER BY at, id",
                doing: "reading the feedback on draft \(draftID)"
            ).rows.map { row in
                let (rating, reason) = try row.decode((String, String?).self)
                return (FeedbackRating(rawValue: rating) ?? .down, reason)
            }
        }
    }

    /// The drafts a query's first column holds as documents, in one read-only transaction.
    func drafts(_ query: PostgresQuery, doing: String) throws -> [Draft] {
        try store.transaction(readOnly: true) { session in try Self.drafts(session, query, doing: doing) }
    }

    static func drafts(_ session: PostgresSession, _ query: PostgresQuery, doing: String) throws -> [Draft] {
        try session.query(query, doing: doing).rows.map {
            try DocumentCoding.decode(Draft.self, from: try $0.decode(String.self))
        }
    }

    static func document(_ session: PostgresSession, id: String) throws -> String? {
        try session.query("SELECT document FROM drafts WHERE id = \(id)", doing: "reading draft \(id)")
            .rows.first?.decode(String.self)
    }

    /// SQLite's error for a missing draft (`StoreError`, shared by both stores), so a surface answers it the same way.
    static func notFound(_ id: String) -> StoreError {
        StoreError(.invalidValue, Draft.missingMessage(id: id))
    }

    static func appendHistory(
        _ session: PostgresSession, draft: Draft, action: String, from: DraftStatus?, user: String?, detail: String?
    ) throws {
        try session.query(
            """
            INSERT INTO draft_events (draft_id, at, action, from_status, to_status, user_id, detail)
            VALUES (\(draft.id), \(draft.updatedAt.timeIntervalSince1970), \(action), \(from?.rawValue),
                \(draft.status.rawValue), \(user), \(detail))
            """, doing: "recording the history of draft \(draft.id)")
    }
}
