import Foundation
import GRDB
import KAMCore

extension HealthRepository {
    /// Every client as a lead for `LeadStatistics`: its status, its open deals' value, its creation and its moves,
    /// in three statements whatever the number of clients; `covers` keeps the clients of an owner in scope.
    public func leads(covers: (String?) -> Bool) throws -> [LeadStatistics.Lead] {
        try store.writer.read { db in
            var values: [String: Double] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT client_id, SUM(amount) FROM deals WHERE stage NOT IN ('closed-won', 'closed-lost') GROUP BY client_id")
            {
                values[row[0]] = row[1]
            }
            var moves: [String: [LeadTransition]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT client_id, from_status, to_status, automatic, reason, at FROM lead_transitions ORDER BY at, id") {
                let clientID: String = row[0]
                moves[clientID, default: []].append(
                    LeadTransition(
                        clientID: clientID, from: LeadStatus(rawValue: row[1]) ?? .new, to: LeadStatus(rawValue: row[2]) ?? .new,
                        automatic: row[3], reason: row[4], at: Date(timeIntervalSince1970: row[5])))
            }
            var leads: [LeadStatistics.Lead] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, owner_id, lead_status, created_at FROM clients ORDER BY id") {
                guard covers(row[1]) else { continue }
                let id: String = row[0]
                leads.append(
                    LeadStatistics.Lead(
                        clientID: id, status: LeadStatus(rawValue: row[2]) ?? .new, value: values[id] ?? 0,
                        createdAt: Date(timeIntervalSince1970: row[3]), transitions: moves[id] ?? []))
            }
            return leads
        }
    }
}
