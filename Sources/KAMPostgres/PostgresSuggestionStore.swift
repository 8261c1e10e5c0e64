import Foundation
import KAMCore
import PostgresNIO

/// Suggestions and their decisions in a PostgreSQL database, as `SuggestionRepository` keeps them in SQLite
/// (`SuggestionStoring`), shared by every process that opens it.
///
/// SQLite makes each write exclusive with its single writer; here two processes write at once, so:
/// - de-duplication is the partial unique index `suggestions_one_pending` (one open suggestion a client, type and
///   target): `add` inserts with `ON CONFLICT DO NOTHING`, never a read-then-insert, so two passes storing the same
///   suggestion at once store it once (the second waits for the first's commit, then does nothing);
/// - every change of a suggestion is a compare-and-set: the row is read, changed in Swift, and written back
///   `WHERE status = <the status read> AND document = <the document read>`. When another process changed it in
///   between, nothing is written and it is read again: a decision on a suggestion that meanwhile became decided is
///   refused with SQLite's error, so of two racing decisions exactly one wins, with one event.
///
/// For example:
///
///     let suggestions = PostgresSuggestionStore(store: try await PostgresStore.open(configuration))
///     let stored = try suggestions.add(proposed, now: Date())
public struct PostgresSuggestionStore: SuggestionStoring {
    public let store: PostgresStore
    /// The time of the events of decisions, reopenings and resolutions (`ClientStore.now` on SQLite).
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    @discardableResult
    public func add(_ suggestions: [Suggestion], now: Date, expiringFirst: Bool) throws -> [Suggestion] {
        try store.transaction(readOnly: false) { session in
            if expiringFirst { try Self.expire(session, now: now) }
            return try suggestions.filter { try Self.insert(session, $0, now: now) }
        }
    }

    /// Stores `s` with its `suggestion.created` event inside the session's transaction, unless it duplicates an open
    /// suggestion (or an id); whether it was stored.
    static func insert(_ session: PostgresSession, _ s: Suggestion, now: Date) throws -> Bool {
        let document = try DocumentCoding.encode(s)
        let result = try session.query(
            """
            INSERT INTO suggestions (id, client_id, type, target, status, priority, created_at, expires_at,
                snoozed_until, document)
            VALUES (\(s.id), \(s.clientID), \(s.type.rawValue), \(s.target), \(s.status.rawValue), \(s.priority),
                \(s.createdAt.timeIntervalSince1970), \(s.expiresAt.timeIntervalSince1970),
                \(s.snoozedUntil?.timeIntervalSince1970), \(document))
            ON CONFLICT DO NOTHING
            """, doing: "storing suggestion \(s.id)")
        guard (result.metadata.rows ?? 0) > 0 else { return false }
        try PostgresEventLog.append(session, .suggestion(.suggestionCreated, s, at: now))
        return true
    }

    public func suggestion(id: String) throws -> Suggestion? {
        try store.transaction(readOnly: true) { session in try Self.fetch(session, id: id)?.suggestion }
    }

    @discardableResult
    public func decide(id: String, _ change: (inout Suggestion) throws -> Void) throws -> Suggestion {
        let at = now()
        return try store.transaction(readOnly: false) { session in try Self.decide(session, id: id, at: at, change) }
    }

    /// `decide(id:_:)` inside the session's transaction: a compare-and-set, read again while another process changes
    /// the row in between.
    static func decide(
        _ session: PostgresSession, id: String, at now: Date, _ change: (inout Suggestion) throws -> Void
    ) throws -> Suggestion {
        while true {
            guard let stored = try fetch(session, id: id) else {
                throw StoreError(.invalidValue, "no suggestion has id '\(id)'; `kam suggest list` shows them")
            }
            var s = stored.suggestion
            guard s.status == .pending || s.status == .snoozed else {
                throw StoreError(
                    .invalidValue,
                    "suggestion \(id) is already \(s.status.rawValue); only pending or snoozed ones can change")
            }
            try change(&s)
            guard try swap(session, stored, to: s) else { continue }
            if let event = DomainEvent.suggestionDecided(s, at: now) { try PostgresEventLog.append(session, event) }
            return s
        }
    }

    @discardableResult
    public func expirePending(now: Date) throws -> Int {
        try store.transaction(readOnly: false) { session in try Self.expire(session, now: now) }
    }

    /// Expires the pending suggestions whose time is up at `now`, each a compare-and-set: one another process expired
    /// or decided meanwhile is left alone (and not counted), so each expiry has one event.
    @discardableResult
    static func expire(_ session: PostgresSession, now: Date) throws -> Int {
        let due = try session.query(
            """
            SELECT id, document FROM suggestions
            WHERE status = 'pending' AND expires_at <= \(now.timeIntervalSince1970) ORDER BY id
            """, doing: "finding expired suggestions"
        ).rows.map { try Stored(row: $0) }
        var expired = 0
        for stored in due {
            var s = stored.suggestion
            s.status = .expired
            guard try swap(session, stored, to: s) else { continue }
            try PostgresEventLog.append(session, .suggestion(.suggestionExpired, s, at: now))
            expired += 1
        }
        return expired
    }

    /// Writes `new` over `stored` if the row still holds what was read: whether it did.
    static func swap(_ session: PostgresSession, _ stored: Stored, to new: Suggestion) throws -> Bool {
        let document = try DocumentCoding.encode(new)
        let result = try session.query(
            """
            UPDATE suggestions
            SET status = \(new.status.rawValue), snoozed_until = \(new.snoozedUntil?.timeIntervalSince1970),
                document = \(document)
            WHERE id = \(new.id) AND status = \(stored.suggestion.status.rawValue) AND document = \(stored.document)
            """, doing: "changing suggestion \(new.id)")
        return (result.metadata.rows ?? 0) == 1
    }

    /// A suggestion as read, with the document text a compare-and-set compares.
    struct Stored {
        var suggestion: Suggestion
        var document: String

        init(row: PostgresRow) throws {
            let (_, document) = try row.decode((String, String).self)
            self.document = document
            suggestion = try DocumentCoding.decode(Suggestion.self, from: document)
        }
    }

    static func fetch(_ session: PostgresSession, id: String) throws -> Stored? {
        try session.query(
            "SELECT id, document FROM suggestions WHERE id = \(id)", doing: "reading suggestion \(id)"
        ).rows.first.map { try Stored(row: $0) }
    }
}
