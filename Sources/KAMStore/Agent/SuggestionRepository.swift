import Foundation
import GRDB
import KAMCore

/// Suggestions and their decisions in SQLite (`SuggestionStoring`). At most one pending suggestion of a type for a
/// target: adding a duplicate is a no-op (a partial unique index enforces it, so concurrent runs cannot race past it);
/// a decision reads and changes its row inside one write transaction, which SQLite's single writer makes exclusive.
public struct SuggestionRepository: SuggestionStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Stores the suggestions that are not duplicates of a pending one, each with its `suggestion.created`
    /// event; returns those stored.
    /// Expired pending suggestions are marked expired first (unless the caller just did, with
    /// `expirePending`), so they no longer block new ones.
    @discardableResult
    public func add(_ suggestions: [Suggestion], now: Date, expiringFirst: Bool) throws -> [Suggestion] {
        try store.writer.write { db in
            if expiringFirst { try Self.expire(db, now: now) }
            return try suggestions.filter { try Self.insert(db, $0, now: now) }
        }
    }

    /// Stores `s` with its `suggestion.created` event inside the caller's transaction, unless it duplicates a pending
    /// suggestion; whether it was stored.
    static func insert(_ db: Database, _ s: Suggestion, now: Date) throws -> Bool {
        try db.cachedStatement(
            sql: """
                INSERT INTO suggestions (id, client_id, type, target, status, priority, created_at, expires_at,
                  snoozed_until, document)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """
        ).execute(storing: [
            s.id, s.clientID, s.type.rawValue, s.target, s.status.rawValue, s.priority,
            s.createdAt.timeIntervalSince1970, s.expiresAt.timeIntervalSince1970,
            s.snoozedUntil?.timeIntervalSince1970, try DocumentCoding.encode(s),
        ])
        guard db.changesCount > 0 else { return false }
        try EventLog.append(db, .suggestion(.suggestionCreated, s, at: now))
        return true
    }

    public func suggestion(id: String) throws -> Suggestion? {
        try store.writer.read { db in try Self.fetch(db, id: id) }
    }

    /// Changes a suggestion that is still open (pending or snoozed); anything else is refused with its status named.
    /// Accepting, dismissing or snoozing it appends `suggestion.accepted`, `.dismissed` or `.snoozed` in the same
    /// transaction.
    @discardableResult
    public func decide(id: String, _ change: (inout Suggestion) throws -> Void) throws -> Suggestion {
        try store.writer.write { db in try Self.decide(db, id: id, at: store.now(), change) }
    }

    /// `decide(id:_:)` inside the caller's transaction.
    static func decide(_ db: Database, id: String, at now: Date, _ change: (inout Suggestion) throws -> Void) throws
        -> Suggestion
    {
        guard var s = try fetch(db, id: id) else {
            throw StoreError(.invalidValue, "no suggestion has id '\(id)'; `kam suggest list` shows them")
        }
        guard s.status == .pending || s.status == .snoozed else {
            throw StoreError(.invalidValue, "suggestion \(id) is already \(s.status.rawValue); only pending or snoozed ones can change")
        }
        try change(&s)
        try db.execute(
            sql: "UPDATE suggestions SET status = ?, snoozed_until = ?, document = ? WHERE id = ?",
            arguments: [s.status.rawValue, s.snoozedUntil?.timeIntervalSince1970, try DocumentCoding.encode(s), id])
        if let event = DomainEvent.suggestionDecided(s, at: now) { try EventLog.append(db, event) }
        return s
    }

    /// Marks every pending suggestion whose time is up as expired, each with its `suggestion.expired` event; how many were.
    @discardableResult
    public func expirePending(now: Date) throws -> Int {
        try store.writer.write { db in try Self.expire(db, now: now) }
    }

    @discardableResult
    static func expire(_ db: Database, now: Date) throws -> Int {
        let ids = try String.fetchAll(
            db, sql: "SELECT id FROM suggestions WHERE status = 'pending' AND expires_at <= ?",
            arguments: [now.timeIntervalSince1970])
        for id in ids {
            guard var s = try fetch(db, id: id) else { continue }
            s.status = .expired
            try db.execute(
                sql: "UPDATE suggestions SET status = 'expired', document = ? WHERE id = ?",
                arguments: [try DocumentCoding.encode(s), id])
            try EventLog.append(db, .suggestion(.suggestionExpired, s, at: now))
        }
        return ids.count
    }

    static func fetch(_ db: Database, id: String) throws -> Suggestion? {
        try String.fetchOne(db, sql: "SELECT document FROM suggestions WHERE id = ?", arguments: [id]).map {
            try DocumentCoding.decode(Suggestion.self, from: $0)
        }
    }
}
