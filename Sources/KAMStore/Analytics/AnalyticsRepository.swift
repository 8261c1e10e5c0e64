import Foundation
import GRDB
import KAMCore

/// What the analytics routes aggregate, read as small facts with the owner of each record's client, so the
/// runtime can keep only what the caller's scope covers before counting: the core's `AnalyticsReading` on SQLite
/// (`KAMPostgres.PostgresAnalyticsStore` is its twin on PostgreSQL).
public struct AnalyticsRepository: AnalyticsReading {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public typealias DraftFact = AnalyticsDraftFact
    public typealias ApprovalFact = AnalyticsApprovalFact
    public typealias SuggestionFact = AnalyticsSuggestionFact

    /// Every draft approved (as written, edited, or since sent) at or after `since` (all when nil), by its approval.
    public func approvals(since: Date?) throws -> [ApprovalFact] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(json_extract(d.document, '$.edited'), json_extract(d.document, '$.original')) AS content,
                      d.created_at, d.decided_at, json_extract(d.document, '$.createdBy') AS created_by,
                      json_extract(d.document, '$.decidedBy') AS decided_by, c.owner_id
                    FROM drafts d LEFT JOIN clients c ON c.id = d.client_id
                    WHERE d.status IN ('approved', 'edited-and-approved', 'sent') AND d.decided_at IS NOT NULL
                      AND d.decided_at >= ?
                    """,
                arguments: [since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude]
            ).map {
                ApprovalFact(
                    content: try DocumentCoding.decode(DraftContent.self, from: $0["content"] as String),
                    createdAt: Date(timeIntervalSince1970: $0["created_at"]),
                    decidedAt: Date(timeIntervalSince1970: $0["decided_at"]), createdBy: $0["created_by"],
                    decidedBy: $0["decided_by"], clientOwnerID: $0["owner_id"])
            }
        }
    }

    /// Every draft created at or after `since` (all when nil).
    public func drafts(since: Date?) throws -> [DraftFact] {
        try drafts(where: "d.created_at >= ?", [since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude])
    }

    /// The drafts decided (approved, edited and approved, rejected; a sent one by its approval) at or after `from`
    /// and before `to`, by the time of that decision, whenever they were written: what a week's analysis counts.
    public func drafts(decidedFrom from: Date, to: Date) throws -> [DraftFact] {
        try drafts(where: "d.decided_at >= ? AND d.decided_at < ?", [from.timeIntervalSince1970, to.timeIntervalSince1970])
    }

    private func drafts(where filter: String, _ arguments: StatementArguments) throws -> [DraftFact] {
        try writer.read { db in try Self.drafts(db, where: filter, arguments) }
    }

    /// The drafts `filter` keeps, in `db`'s read (a day's facts read them with the rest).
    static func drafts(_ db: Database, where filter: String, _ arguments: StatementArguments) throws -> [DraftFact] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT d.kind, d.prompt_id, d.prompt_version, d.status,
                  json_extract(d.document, '$.editDistance') AS edit_distance,
                  json_extract(d.document, '$.edited') IS NOT NULL AS edited,
                  json_extract(d.document, '$.createdBy') AS created_by, c.owner_id
                FROM drafts d LEFT JOIN clients c ON c.id = d.client_id
                WHERE \(filter)
                """,
            arguments: arguments
        ).map {
            DraftFact(
                kind: $0["kind"], promptID: $0["prompt_id"], promptVersion: $0["prompt_version"],
                status: DraftStatus(rawValue: $0["status"]) ?? .pending, editDistance: $0["edit_distance"],
                edited: $0["edited"], createdBy: $0["created_by"], clientOwnerID: $0["owner_id"])
        }
    }

    /// Every suggestion created at or after `since` (all when nil).
    public func suggestions(since: Date?) throws -> [SuggestionFact] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.type, s.status, c.owner_id, json_extract(s.document, '$.dismissKind') AS dismiss_kind,
                      (SELECT json_extract(e.value, '$.id') FROM json_each(s.document, '$.evidence') e
                        WHERE json_extract(e.value, '$.kind') = 'rule' LIMIT 1) AS rule
                    FROM suggestions s LEFT JOIN clients c ON c.id = s.client_id
                    WHERE s.created_at >= ?
                    """,
                arguments: [since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude]
            ).map { row in
                let type: String = row["type"]
                return SuggestionFact(
                    type: type, status: SuggestionStatus(rawValue: row["status"]) ?? .pending, clientOwnerID: row["owner_id"],
                    origin: SuggestionFact.origin(type: type, rule: row["rule"]), dismissKind: row["dismiss_kind"])
            }
        }
    }

    /// Each acceptance and dismissal of a suggestion at or after `from` and before `to`, by the time of that decision
    /// (its `suggestion.accepted` or `suggestion.dismissed` event), whenever the suggestion was made: what a week's
    /// analysis counts. The status is the decision's; a suggestion decided again after an undo counts each time.
    /// (Its `kind IN (...)` is the partial index `events_suggestion_decisions`' condition word for word: keep them alike.)
    public func suggestionDecisions(from: Date, to: Date) throws -> [SuggestionFact] {
        try writer.read { db in try Self.suggestionDecisions(db, from: from, to: to) }
    }

    /// See `suggestionDecisions(from:to:)`, in `db`'s read.
    static func suggestionDecisions(_ db: Database, from: Date, to: Date) throws -> [SuggestionFact] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.kind, json_extract(e.payload, '$.type') AS type, c.owner_id
                FROM events e LEFT JOIN clients c ON c.id = e.client_id
                WHERE e.kind IN ('suggestion.accepted', 'suggestion.dismissed') AND e.occurred_at >= ? AND e.occurred_at < ?
                """,
            arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]
        ).map {
            SuggestionFact(
                type: $0["type"] ?? "", status: ($0["kind"] as String) == "suggestion.accepted" ? .accepted : .dismissed,
                clientOwnerID: $0["owner_id"])
        }
    }

    /// The ids of the clients owned by any of `ownerIDs`.
    public func clientIDs(ownedBy ownerIDs: Set<String>) throws -> Set<String> {
        try writer.read { db in
            let marks = Array(repeating: "?", count: ownerIDs.count).joined(separator: ", ")
            guard !ownerIDs.isEmpty else { return [] }
            return Set(
                try String.fetchAll(
                    db, sql: "SELECT id FROM clients WHERE owner_id IN (\(marks))",
                    arguments: StatementArguments(Array(ownerIDs))))
        }
    }
}
