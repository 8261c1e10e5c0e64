import Foundation
import GRDB
import KAMCore

extension SuggestionRepository {
    /// Up to `limit` suggestions matching `filter`, highest priority first (then oldest, then by id), skipping
    /// the first `offset`, in one read transaction.
    ///
    /// A pending suggestion whose time is up at `now` is expired: an open list leaves it out and a list of expired
    /// ones shows it with status `expired`, whether or not a write (`expirePending`, `add`, the server's periodic
    /// expiry) has marked it yet, so listing never writes. Each open branch (pending, snoozed and due) walks the
    /// `(status, priority DESC, created_at, id)` index and stops after `offset + limit` rows; only those are
    /// merged and sorted, never every open row.
    public func page(_ filter: SuggestionFilter, offset: Int, limit: Int, now: Date) throws
        -> [Suggestion]
    {
        let at = now.timeIntervalSince1970
        var branches: [(condition: String, arguments: StatementArguments)] = []
        switch filter.status {
        case nil, .pending?:
            // `+` keeps SQLite off the expiry index for these open rows (nearly all of them): that index would make
            // it sort every one of them instead of walking the priority index and stopping after a page.
            branches = [
                ("status = 'pending' AND +expires_at > ?", [at]), ("status = 'snoozed' AND +snoozed_until <= ?", [at]),
            ]
        case .expired?:
            branches = [("status = 'expired'", []), ("status = 'pending' AND expires_at <= ?", [at])]
        case let status?:
            branches = [("status = ?", [status.rawValue])]
        }
        // The filters every branch shares; the priority bound is a whole number and the owners are quoted.
        let shared = ClientRecords.filter(
            equal: [("client_id", filter.clientID), ("type", filter.type?.rawValue)],
            and: ClientRecords.both(
                filter.minimumPriority.map { "priority >= \($0)" }, ClientRecords.ownedBy(filter.clientOwners)))
        var conditions = shared.sql.isEmpty ? [] : [String(shared.sql.dropFirst("WHERE ".count))]
        var sharedArguments = shared.arguments
        if let pairs = filter.pairs {
            conditions.append(
                "("
                    + (pairs.isEmpty
                        ? "0"
                        : pairs.map { $0.type == nil ? "client_id = ?" : "(client_id = ? AND type = ?)" }
                            .joined(separator: " OR ")) + ")")
            for pair in pairs {
                _ = sharedArguments.append(contentsOf: [pair.clientID])
                if let type = pair.type { _ = sharedArguments.append(contentsOf: [type.rawValue]) }
            }
        }
        let (sum, overflow) = offset.addingReportingOverflow(limit)
        let reach = overflow ? Int.max : sum
        let order = "ORDER BY priority DESC, created_at, id"
        var sql: [String] = []
        var all: StatementArguments = []
        for branch in branches {
            sql.append(
                "SELECT * FROM (SELECT document, priority, created_at, id FROM suggestions WHERE "
                    + ([branch.condition] + conditions).joined(separator: " AND ") + " \(order) LIMIT ?)")
            _ = all.append(contentsOf: branch.arguments)
            _ = all.append(contentsOf: sharedArguments)
            _ = all.append(contentsOf: [reach])
        }
        _ = all.append(contentsOf: [limit, offset])
        let query = sql.joined(separator: " UNION ALL ") + " \(order) LIMIT ? OFFSET ?"
        return try store.writer.read { db in
            try String.fetchAll(db.cachedStatement(sql: query), arguments: all).map {
                var suggestion = try DocumentCoding.decode(Suggestion.self, from: $0)
                if suggestion.status == .pending, suggestion.expiresAt <= now { suggestion.status = .expired }
                return suggestion
            }
        }
    }
}
