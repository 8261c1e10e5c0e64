import Foundation
import KAMCore
import PostgresNIO

extension PostgresSuggestionStore {
    /// Up to `limit` suggestions matching `filter`, highest priority first (then oldest, then by id: `COLLATE "C"`,
    /// SQLite's byte order), skipping the first `offset`, in one read-only transaction; the same branches as SQLite's
    /// (pending and due snoozed ones, or expired and pending past their time, or one status), each walking the
    /// `(status, priority DESC, created_at, id)` index and stopping after `offset + limit` rows. A pending suggestion
    /// whose time is up is listed as expired without being written.
    public func page(_ filter: SuggestionFilter, offset: Int, limit: Int, now: Date) throws -> [Suggestion] {
        var binds = PostgresBindings()
        /// Appends `value` to the binds and returns its placeholder.
        func bind<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        let at = now.timeIntervalSince1970
        var shared: [String] = []
        if let clientID = filter.clientID { shared.append("client_id = \(bind(clientID))") }
        if let type = filter.type { shared.append("type = \(bind(type.rawValue))") }
        if let minimum = filter.minimumPriority { shared.append("priority >= \(bind(Int64(minimum)))") }
        if let owners = filter.clientOwners {
            shared.append("client_id IN (SELECT id FROM clients WHERE owner_id = ANY(\(bind(owners.sorted()))))")
        }
        if let pairs = filter.pairs {
            let each = pairs.sorted { ($0.clientID, $0.type?.rawValue ?? "") < ($1.clientID, $1.type?.rawValue ?? "") }
                .map { pair in
                    pair.type.map { "(client_id = \(bind(pair.clientID)) AND type = \(bind($0.rawValue)))" }
                        ?? "client_id = \(bind(pair.clientID))"
                }
            shared.append("(" + (each.isEmpty ? "FALSE" : each.joined(separator: " OR ")) + ")")
        }
        let branches: [String] =
            switch filter.status {
            case nil, .pending?:
                [
                    "status = 'pending' AND expires_at > \(bind(at))",
                    "status = 'snoozed' AND snoozed_until <= \(bind(at))",
                ]
            case .expired?: ["status = 'expired'", "status = 'pending' AND expires_at <= \(bind(at))"]
            case let status?: ["status = \(bind(status.rawValue))"]
            }
        let (sum, overflow) = offset.addingReportingOverflow(limit)
        let reach = bind(Int64(overflow ? Int.max : sum))
        let order = "ORDER BY priority DESC, created_at, id"
        let selects = branches.enumerated().map { index, branch in
            "SELECT * FROM (SELECT document, priority, created_at, id FROM suggestions WHERE "
                + ([branch] + shared).joined(separator: " AND ") + " \(order) LIMIT \(reach)) AS branch\(index)"
        }
        let sql =
            selects.joined(separator: " UNION ALL ")
            + " \(order) LIMIT \(bind(Int64(limit))) OFFSET \(bind(Int64(offset)))"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try store.transaction(readOnly: true) { session in
            try session.query(query, doing: "listing suggestions").rows.map { row in
                var suggestion = try DocumentCoding.decode(Suggestion.self, from: try row.decode(String.self))
                if suggestion.status == .pending, suggestion.expiresAt <= now { suggestion.status = .expired }
                return suggestion
            }
        }
    }
}
