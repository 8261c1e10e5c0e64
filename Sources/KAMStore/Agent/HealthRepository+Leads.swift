import Foundation
import GRDB
import KAMCore

extension HealthRepository {
    /// Every client as a lead for `LeadStatistics`: its status, its open deals' value, its creation and its moves,
    /// in three statements whatever the number of clients; `covers` keeps the clients of an owner in scope.
    public func leads(covers: (String?) -> Bool) throws -> [LeadStatistics.Lead] {
        try store.writer.read { db in
            var values: [String: Double] = [:]
            // Cursors, not arrays: each row is read once and let go (50,000 moves on the 10k-client store).
            let sums = try Row.fetchCursor(
                db, sql: "SELECT client_id, SUM(amount) FROM deals WHERE stage NOT IN ('closed-won', 'closed-lost') GROUP BY client_id")
            while let row = try sums.next() { values[row[0]] = row[1] }
            var moves: [String: [LeadTransition]] = [:]
            let transitions = try Row.fetchCursor(
                db, sql: "SELECT client_id, from_status, to_status, automatic, reason, at FROM lead_transitions ORDER BY at, id")
            while let row = try transitions.next() {
                let clientID: String = row[0]
                moves[clientID, default: []].append(
                    LeadTransition(
                        clientID: clientID, from: LeadStatus(rawValue: row[1]) ?? .new, to: LeadStatus(rawValue: row[2]) ?? .new,
                        automatic: row[3], reason: row[4], at: Date(timeIntervalSince1970: row[5])))
            }
            var leads: [LeadStatistics.Lead] = []
            let clients = try Row.fetchCursor(db, sql: "SELECT id, owner_id, lead_status, created_at FROM clients ORDER BY id")
            while let row = try clients.next() {
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
