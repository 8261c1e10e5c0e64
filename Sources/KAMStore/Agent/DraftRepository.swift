import Foundation
import GRDB
import KAMCore

/// Drafts, their event history and feedback, in the client store's database.
///
/// A draft row keeps the whole `Draft` as a JSON document plus the columns queries filter on; every
/// change is one transaction that also appends to `draft_events`, so the history can be replayed.
/// The core's `DraftStoring` on SQLite (`PostgresDraftStore` is the same on PostgreSQL): an `update` reads the
/// draft inside its write transaction, which SQLite's single writer (`BEGIN IMMEDIATE`) runs alone, so of two
/// decisions on one draft taken at once the second sees the first's and its transition throws.
public struct DraftRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Stores a new pending draft with its `draft.created` event.
    public func insert(_ draft: Draft) throws {
        try store.writer.write { db in try Self.insert(db, draft) }
    }

    /// Stores a new pending draft with its history entry and its `draft.created` event, in `db`'s transaction.
    static func insert(_ db: Database, _ draft: Draft) throws {
        try db.execute(
            sql: """
                INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, decided_at, sent_at,
                  prompt_id, prompt_version, prompt_hash, provider, model, is_offline, experiment_id, variant, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: try Self.arguments(draft))
        try Self.appendEvent(db, draft: draft, action: "created", from: nil, user: draft.createdBy, detail: draft.hint)
        try EventLog.append(db, .draft(.draftCreated, draft))
    }

    /// Loads a draft, applies `change` and saves it with its history entry (and, for an approval or a rejection,
    /// its `draft.approved` or `draft.rejected` event), in one transaction.
    @discardableResult
    public func update(
        id: String, action: String, user: String?, detail: String? = nil, _ change: (inout Draft) throws -> Void
    ) throws -> Draft {
        try store.writer.write { db in
            guard var draft = try Self.fetch(db, id: id) else { throw Self.notFound(id) }
            let before = draft.status
            try change(&draft)
            try db.execute(
                sql: """
                    UPDATE drafts SET status = ?, updated_at = ?, decided_at = ?, sent_at = ?, document = ? WHERE id = ?
                    """,
                arguments: [
                    draft.status.rawValue, draft.updatedAt.timeIntervalSince1970, draft.decidedAt?.timeIntervalSince1970,
                    draft.sentAt?.timeIntervalSince1970, try DocumentCoding.encode(draft), id,
                ])
            try Self.appendEvent(db, draft: draft, action: action, from: before, user: user, detail: detail)
            if let kind = EventKind.draftChange(from: before, to: draft.status, action: action) {
                try EventLog.append(db, .draft(kind, draft))
            }
            return draft
        }
    }

    public func draft(id: String) throws -> Draft? {
        try store.writer.read { db in try Self.fetch(db, id: id) }
    }

    /// Approved drafts (approved, edited-and-approved, sent) created since `since`, oldest first:
    /// what a training export reads.
    public func approved(since: Date? = nil, promptID: String? = nil) throws -> [Draft] {
        try store.writer.read { db in
            var sql = "SELECT document FROM drafts WHERE status IN ('approved', 'edited-and-approved', 'sent')"
            var arguments: StatementArguments = []
            if let since {
                sql += " AND created_at >= ?"
                _ = arguments.append(contentsOf: [since.timeIntervalSince1970])
            }
            if let promptID {
                sql += " AND prompt_id = ?"
                _ = arguments.append(contentsOf: [promptID])
            }
            sql += " ORDER BY created_at, id"
            return try String.fetchAll(db, sql: sql, arguments: arguments).map {
                try DocumentCoding.decode(Draft.self, from: $0)
            }
        }
    }

    /// The event history of a draft, oldest first.
    public func events(draftID: String) throws -> [DraftEvent] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM draft_events WHERE draft_id = ? ORDER BY at, id", arguments: [draftID]
            ).map {
                DraftEvent(
                    at: Date(timeIntervalSince1970: $0["at"]), action: $0["action"],
                    from: ($0["from_status"] as String?).flatMap(DraftStatus.init(rawValue:)),
                    to: DraftStatus(rawValue: $0["to_status"]) ?? .pending, user: $0["user_id"], detail: $0["detail"])
            }
        }
    }

    /// Records a person's thumbs up or down on a draft.
    public func addFeedback(draftID: String, rating: FeedbackRating, reason: String?, user: String?, at: Date) throws {
        try store.writer.write { db in
            guard let draft = try Self.fetch(db, id: draftID) else { throw Self.notFound(draftID) }
            try db.execute(
                sql: "INSERT INTO draft_feedback (draft_id, rating, reason, user_id, at) VALUES (?, ?, ?, ?, ?)",
                arguments: .storing([draftID, rating.rawValue, reason, user, at.timeIntervalSince1970]))
            try EventLog.append(
                db, .feedbackRecorded(on: "draft", id: draftID, clientID: draft.clientID, rating: rating.rawValue, userID: user, at: at))
        }
    }

    /// The feedback on a draft, oldest first.
    public func feedback(draftID: String) throws -> [(rating: FeedbackRating, reason: String?)] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT rating, reason FROM draft_feedback WHERE draft_id = ? ORDER BY at, id",
                arguments: [draftID]
            ).map { (FeedbackRating(rawValue: $0["rating"]) ?? .down, $0["reason"]) }
        }
    }

    static func fetch(_ db: Database, id: String) throws -> Draft? {
        try String.fetchOne(db, sql: "SELECT document FROM drafts WHERE id = ?", arguments: [id]).map {
            try DocumentCoding.decode(Draft.self, from: $0)
        }
    }

    static func notFound(_ id: String) -> StoreError {
        StoreError(.invalidValue, Draft.missingMessage(id: id))
    }

    static func arguments(_ d: Draft) throws -> StatementArguments {
        [
            d.id, d.clientID, d.kind.rawValue, d.status.rawValue, d.createdAt.timeIntervalSince1970,
            d.updatedAt.timeIntervalSince1970, d.decidedAt?.timeIntervalSince1970, d.sentAt?.timeIntervalSince1970,
            d.promptID, d.promptVersion, d.promptHash, d.provider, d.model, d.isOffline, d.experimentID, d.variant,
            try DocumentCoding.encode(d),
        ]
    }

    static func appendEvent(
        _ db: Database, draft: Draft, action: String, from: DraftStatus?, user: String?, detail: String?
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO draft_events (draft_id, at, action, from_status, to_status, user_id, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: .storing([
                draft.id, draft.updatedAt.timeIntervalSince1970, action, from?.rawValue, draft.status.rawValue, user,
                detail,
            ]))
    }
}
