import Foundation
import KAMCore
import PostgresNIO

/// What the analytics aggregate, read from a PostgreSQL database as `AnalyticsRepository` reads it from SQLite: the
/// core's `AnalyticsReading`, over the tables the other twins keep (drafts, suggestions, events, clients, deals, …).
///
/// Reads only, so no lock: each call is one `REPEATABLE READ READ ONLY` transaction, one snapshot of the database
/// (a day's facts included), as SQLite's one read transaction. SQLite's `json_extract` over a document is
/// `document::json ->> 'key'` here (the columns hold JSON text, `json`, as on SQLite), its `json_each` over an array
/// `json_array_elements`, and its `TOTAL` a `COALESCE(SUM(…), 0)` in double precision. An unknown status reads as
/// SQLite's code reads it (a draft or suggestion `pending`), so both stores count the same rows.
///
/// For example:
///
///     let analytics = PostgresAnalyticsStore(store: try await PostgresStore.open(configuration))
///     let week = try analytics.drafts(decidedFrom: monday, to: monday.addingTimeInterval(7 * 86_400))
public struct PostgresAnalyticsStore: AnalyticsReading {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    /// The bound of a range with no start: every Unix time stored is after it, as on SQLite.
    static let earliest = -Double.greatestFiniteMagnitude

    public func approvals(since: Date?) throws -> [AnalyticsApprovalFact] {
        let since = since?.timeIntervalSince1970 ?? Self.earliest
        return try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT COALESCE(
                    CASE WHEN d.document::json ->> 'edited' IS NOT NULL THEN (d.document::json -> 'edited')::text END,
                    (d.document::json -> 'original')::text),
                  d.created_at, d.decided_at, d.document::json ->> 'createdBy', d.document::json ->> 'decidedBy',
                  c.owner_id
                FROM drafts d LEFT JOIN clients c ON c.id = d.client_id
                WHERE d.status IN ('approved', 'edited-and-approved', 'sent') AND d.decided_at IS NOT NULL
                  AND d.decided_at >= \(since)
                """, doing: "reading the approved drafts"
            ).rows.map { row in
                let (content, created, decided, createdBy, decidedBy, owner) = try row.decode(
                    (String, Double, Double, String?, String?, String?).self)
                return AnalyticsApprovalFact(
                    content: try DocumentCoding.decode(DraftContent.self, from: content),
                    createdAt: Date(timeIntervalSince1970: created), decidedAt: Date(timeIntervalSince1970: decided),
                    createdBy: createdBy, decidedBy: decidedBy, clientOwnerID: owner)
            }
        }
    }

    public func drafts(since: Date?) throws -> [AnalyticsDraftFact] {
        let since = since?.timeIntervalSince1970 ?? Self.earliest
        return try store.transaction(readOnly: true) { session in
            try Self.drafts(session, by: "created_at", from: since, to: .infinity, doing: "reading the drafts")
        }
    }

    public func drafts(decidedFrom from: Date, to: Date) throws -> [AnalyticsDraftFact] {
        try store.transaction(readOnly: true) { session in
            try Self.drafts(session, decidedFrom: from.timeIntervalSince1970, to: to.timeIntervalSince1970)
        }
    }

    /// The drafts decided in `[from, to)` (Unix seconds), in `session`'s transaction.
    static func drafts(_ session: PostgresSession, decidedFrom from: Double, to: Double) throws -> [AnalyticsDraftFact]
    {
        try drafts(session, by: "decided_at", from: from, to: to, doing: "reading the drafts decided")
    }

    /// The drafts whose time `column` (`created_at` or `decided_at`) is in `[from, to)`.
    private static func drafts(_ session: PostgresSession, by column: String, from: Double, to: Double, doing: String)
        throws -> [AnalyticsDraftFact]
    {
        try session.query(
            """
            SELECT d.kind, d.prompt_id, d.prompt_version, d.status, (d.document::json ->> 'editDistance')::bigint,
              d.document::json ->> 'edited' IS NOT NULL, d.document::json ->> 'createdBy', c.owner_id
            FROM drafts d LEFT JOIN clients c ON c.id = d.client_id
            WHERE d.\(unescaped: column) >= \(from) AND d.\(unescaped: column) < \(to)
            """, doing: doing
        ).rows.map { row in
            let (kind, promptID, version, status, distance, edited, createdBy, owner) = try row.decode(
                (String, String, String, String, Int64?, Bool, String?, String?).self)
            return AnalyticsDraftFact(
                kind: kind, promptID: promptID, promptVersion: version,
                status: DraftStatus(rawValue: status) ?? .pending,
                editDistance: distance.map(Int.init), edited: edited, createdBy: createdBy, clientOwnerID: owner)
        }
    }

    public func suggestions(since: Date?) throws -> [AnalyticsSuggestionFact] {
        let since = since?.timeIntervalSince1970 ?? Self.earliest
        return try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT s.type, s.status, c.owner_id, s.document::json ->> 'dismissKind',
                  (SELECT e.value ->> 'id'
                    FROM json_array_elements(CASE WHEN json_typeof(s.document::json -> 'evidence') = 'array'
                      THEN s.document::json -> 'evidence' END) WITH ORDINALITY AS e (value, n)
                    WHERE e.value ->> 'kind' = 'rule' ORDER BY e.n LIMIT 1)
                FROM suggestions s LEFT JOIN clients c ON c.id = s.client_id
                WHERE s.created_at >= \(since)
                """, doing: "reading the suggestions"
            ).rows.map { row in
                let (type, status, owner, dismissKind, rule) = try row.decode(
                    (String, String, String?, String?, String?).self)
                return AnalyticsSuggestionFact(
                    type: type, status: SuggestionStatus(rawValue: status) ?? .pending, clientOwnerID: owner,
                    origin: AnalyticsSuggestionFact.origin(type: type, rule: rule), dismissKind: dismissKind)
            }
        }
    }

    public func suggestionDecisions(from: Date, to: Date) throws -> [AnalyticsSuggestionFact] {
        try store.transaction(readOnly: true) { session in
            try Self.suggestionDecisions(session, from: from.timeIntervalSince1970, to: to.timeIntervalSince1970)
        }
    }

    /// See `suggestionDecisions(from:to:)`, in `session`'s transaction. (Its `kind IN (...)` is the partial index
    /// `events_suggestion_decisions`' condition word for word, as on SQLite.)
    static func suggestionDecisions(_ session: PostgresSession, from: Double, to: Double) throws
        -> [AnalyticsSuggestionFact]
    {
        try session.query(
            """
            SELECT e.kind, e.payload::json ->> 'type', c.owner_id
            FROM events e LEFT JOIN clients c ON c.id = e.client_id
            WHERE e.kind IN ('suggestion.accepted', 'suggestion.dismissed') AND e.occurred_at >= \(from)
              AND e.occurred_at < \(to)
            """, doing: "reading the suggestion decisions"
        ).rows.map { row in
            let (kind, type, owner) = try row.decode((String, String?, String?).self)
            return AnalyticsSuggestionFact(
                type: type ?? "", status: kind == "suggestion.accepted" ? .accepted : .dismissed, clientOwnerID: owner)
        }
    }

    public func clientIDs(ownedBy ownerIDs: Set<String>) throws -> Set<String> {
        guard !ownerIDs.isEmpty else { return [] }
        return try store.transaction(readOnly: true) { session in
            Set(
                try session.query(
                    "SELECT id FROM clients WHERE owner_id = ANY(\(Array(ownerIDs)))",
                    doing: "reading the owners' clients"
                ).rows.map { try $0.decode(String.self) })
        }
    }
}
