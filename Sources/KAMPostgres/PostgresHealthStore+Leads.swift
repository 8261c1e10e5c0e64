import Foundation
import KAMCore
import PostgresNIO

extension PostgresHealthStore {
    /// Every client as a lead for `LeadStatistics`, as `HealthRepository.leads` reads them on SQLite: four statements
    /// in one `REPEATABLE READ` transaction, so they agree whatever is written meanwhile.
    ///
    /// The open deals' amounts are summed here, saturating at the largest finite double as SQLite's sum is
    /// (PostgreSQL's own `SUM` of doubles refuses to overflow).
    public func leads(covers: (String?) -> Bool) throws -> [LeadStatistics.Lead] {
        try store.transaction(readOnly: true) { session in
            var values: [String: Double] = [:]
            for row in try session.query(
                "SELECT client_id, amount FROM deals WHERE stage NOT IN ('closed-won', 'closed-lost') ORDER BY id",
                doing: "reading the open deals' amounts"
            ).rows {
                let (id, amount) = try row.decode((String, Double).self)
                values[id] = FiniteSum.saturated((values[id] ?? 0) + amount)
            }
            var moves: [String: [LeadTransition]] = [:]
            for move in try Self.transitions(
                session.query(
                    "SELECT \(unescaped: Self.transitionColumns) FROM lead_transitions ORDER BY client_id, at, id",
                    doing: "reading the lead moves"))
            {
                moves[move.clientID, default: []].append(move)
            }
            var details: [String: LeadDetails] = [:]
            for lead in try PostgresLeadRows.details(
                session.query(
                    "SELECT \(unescaped: PostgresLeadRows.detailsColumns) FROM lead_details",
                    doing: "reading the leads' details"))
            {
                details[lead.clientID] = lead
            }
            var leads: [LeadStatistics.Lead] = []
            for row in try session.query(
                "SELECT id, owner_id, lead_status, created_at FROM clients ORDER BY id", doing: "reading the leads"
            ).rows {
                let (id, owner, status, createdAt) = try row.decode((String, String?, String, Double).self)
                guard covers(owner) else { continue }
                leads.append(
                    LeadStatistics.Lead(
                        clientID: id, status: LeadStatus(rawValue: status) ?? .new, value: values[id] ?? 0,
                        createdAt: Date(timeIntervalSince1970: createdAt), transitions: moves[id] ?? [],
                        source: details[id]?.source, estimatedValue: details[id]?.value))
            }
            return leads
        }
    }
}
