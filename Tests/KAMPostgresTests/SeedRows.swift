import Foundation
import KAMCore

/// Statements both stores run as they are, for the users and clients a suite's world starts with (every column
/// without a default filled: a standard tier in USD, consenting to analysis, not to training, active).
enum SeedRows {
    /// A client row to seed.
    struct Client {
        var id: String
        var name: String
        var owner: String?
        var domain: String?
        var leadStatus: LeadStatus = .won
        var createdAt: Date
    }

    /// One `INSERT` of `users`.
    static func users(_ users: [(id: String, name: String, email: String)]) -> String {
        "INSERT INTO users (id, name, email) VALUES "
            + users.map { "(\(literal($0.id)), \(literal($0.name)), \(literal($0.email)))" }.joined(separator: ", ")
    }

    /// One `INSERT` of users named after their ids, at `kam.example`.
    static func users(_ ids: [String]) -> String {
        users(ids.map { (id: $0, name: $0, email: "\($0)@kam.example") })
    }

    /// One `INSERT` of `clients`, each updated when it was created.
    static func clients(_ clients: [Client]) -> String {
        """
        INSERT INTO clients (id, name, tier, currency, owner_id, domain, consent_ai_analysis, consent_training,
            lifecycle, lead_status, created_at, updated_at)
        VALUES
        """
            + clients.map { client in
                let created = client.createdAt.timeIntervalSince1970
                return """
                    (\(literal(client.id)), \(literal(client.name)), 'standard', 'USD', \(literal(client.owner)), \
                    \(literal(client.domain)), TRUE, FALSE, 'active', \(literal(client.leadStatus.rawValue)), \(created), \(created))
                    """
            }.joined(separator: ",\n")
    }

    /// `text` as an SQL literal; NULL for nil.
    private static func literal(_ text: String?) -> String {
        text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
    }
}
