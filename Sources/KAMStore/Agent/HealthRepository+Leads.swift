import Foundation
import GRDB
import KAMCore

extension HealthRepository {
    /// Every client as a lead for `LeadStatistics`: its status, its open deals' value, its creation, its moves, its
    /// source and estimated value, in four statements whatever the number of clients; `covers` keeps the clients of an owner in scope.
    ///
    /// Read through `StoredRow` (SQLite's columns straight, no GRDB `Row`): on the 10k-client store with 50,000 deals
    /// and 50,000 moves GRDB's generic row decoding was a third of the time (`kam-bench leads`).
    public func leads(covers: (String?) -> Bool) throws -> [LeadStatistics.Lead] {
        try store.writer.read { db in
            var values: [String: Double] = [:]
            try db.cachedStatement(
                sql: "SELECT client_id, SUM(amount) FROM deals WHERE stage NOT IN ('closed-won', 'closed-lost') GROUP BY client_id"
            ).forEachRow(storing: []) { row in
                // SQLite's SUM of amounts near the largest double is infinity: saturated as the statistics' own sums are.
                if let id = row.text(0) { values[id] = FiniteSum.saturated(row.double(1)) }
            }
            // In the index's order (client, time), so each client's moves arrive together and oldest first.
            var moves: [String: [LeadTransition]] = [:]
            var current: (id: String, list: [LeadTransition])?
            try db.cachedStatement(
                sql: "SELECT \(Self.transitionColumns) FROM lead_transitions ORDER BY client_id, at, id"
            ).forEachRow(storing: []) { row in
                let move = Self.transition(row)
                if current?.id != move.clientID {
                    if let done = current { moves[done.id] = done.list }
                    current = (move.clientID, [])
                }
                current!.list.append(move)
            }
            if let done = current { moves[done.id] = done.list }
            let details = try LeadRepository.allDetails(db)
            var leads: [LeadStatistics.Lead] = []
            try db.cachedStatement(sql: "SELECT id, owner_id, lead_status, created_at FROM clients ORDER BY id").forEachRow(storing: []) { row in
                guard covers(row.text(1)), let id = row.text(0) else { return }
                leads.append(
                    LeadStatistics.Lead(
                        clientID: id, status: row.text(2).flatMap(LeadStatus.init(rawValue:)) ?? .new, value: values[id] ?? 0,
                        createdAt: Date(timeIntervalSince1970: row.double(3)), transitions: moves[id] ?? [],
                        source: details[id]?.source, estimatedValue: details[id]?.value))
            }
            return leads
        }
    }
}
