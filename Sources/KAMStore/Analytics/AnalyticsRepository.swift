import Foundation
import GRDB
import KAMCore

/// What the analytics routes aggregate, read as small facts with the owner of each record's client, so the
/// runtime can keep only what the caller's scope covers before counting.
public struct AnalyticsRepository: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// One draft as analytics counts it.
    public struct DraftFact: Sendable, Hashable {
        public var kind: String
        public var promptID: String
        public var promptVersion: String
        public var status: DraftStatus
        /// Levenshtein distance of the approved text from the model's (nil until approved).
        public var editDistance: Int?
        /// A person changed the text before approving.
        public var edited: Bool
        public var createdBy: String?
        public var clientOwnerID: String?
    }

    /// One approved draft as the time-saved estimate counts it.
    public struct ApprovalFact: Sendable, Hashable {
        /// The text approved: the person's edit, or the model's text approved as written.
        public var content: DraftContent
        public var createdAt: Date
        public var decidedAt: Date
        public var createdBy: String?
        public var decidedBy: String?
        public var clientOwnerID: String?
    }

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

    /// One suggestion as analytics counts it.
    public struct SuggestionFact: Sendable, Hashable {
        public var type: String
        public var status: SuggestionStatus
        public var clientOwnerID: String?
        /// What proposed it (`Suggestion.origin`); nil where not read (a week's decisions).
        public var origin: String? = nil
        /// A dismissed suggestion's kind (`DismissReason`'s raw value); nil otherwise or when not recorded.
        public var dismissKind: String? = nil
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
        try writer.read { db in
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
                let rule: String? = row["rule"]
                return SuggestionFact(
                    type: type, status: SuggestionStatus(rawValue: row["status"]) ?? .pending, clientOwnerID: row["owner_id"],
                    origin: SuggestionType(rawValue: type).map { Suggestion.origin(rule: rule, type: $0) } ?? rule ?? type,
                    dismissKind: row["dismiss_kind"])
            }
        }
    }

    /// Each acceptance and dismissal of a suggestion at or after `from` and before `to`, by the time of that decision
    /// (its `suggestion.accepted` or `suggestion.dismissed` event), whenever the suggestion was made: what a week's
    /// analysis counts. The status is the decision's; a suggestion decided again after an undo counts each time.
    /// (Its `kind IN (...)` is the partial index `events_suggestion_decisions`' condition word for word: keep them alike.)
    public func suggestionDecisions(from: Date, to: Date) throws -> [SuggestionFact] {
        try writer.read { db in
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
