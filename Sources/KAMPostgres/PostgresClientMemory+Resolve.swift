import Foundation
import KAMCore
import PostgresNIO

extension PostgresClientMemory {
    /// See `ClientStore.resolveClient(_:)`: id, id in lower case, external id, exact name in any case, contact email,
    /// then email domain; when nothing matches, close names and ids (`ClientNameSuggestions`, the same scoring).
    ///
    /// SQLite's `COLLATE NOCASE` (clients' names compared so, contacts' emails and clients' domains declared so) is
    /// `lower(…)` on both sides here, with the parameter in the "C" collation: `lower` then folds ASCII letters only,
    /// as NOCASE does, whatever the database's locale.
    static func resolveClient(_ session: PostgresSession, _ rawQuery: String) throws -> ClientResolution {
        typealias Rows = PostgresMemoryRows
        let query = rawQuery.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return .notFound(suggestions: []) }
        let doing = "resolving client '\(query)'"
        func clients(_ sql: PostgresQuery) throws -> [Client] {
            try all(session, sql, doing: doing, Rows.client)
        }
        func outcome(_ found: [Client], _ match: ClientMatch) -> ClientResolution? {
            switch found.count {
            case 0: nil
            case 1: .found(found[0], matchedBy: match)
            default: .ambiguous(found)
            }
        }
        let columns = Rows.clientColumns
        let lookups: [(query: PostgresQuery, match: ClientMatch)] = [
            ("SELECT \(unescaped: columns) FROM clients WHERE id = \(query)", .id),
            ("SELECT \(unescaped: columns) FROM clients WHERE id = \(query.lowercased())", .id),
            ("SELECT \(unescaped: columns) FROM clients WHERE external_id = \(query)", .externalID),
            (
                """
                SELECT \(unescaped: columns) FROM clients WHERE lower(name) = lower(\(query)::text COLLATE "C")
                ORDER BY name, id
                """, .name
            ),
        ]
        for lookup in lookups {
            if let result = outcome(try clients(lookup.query), lookup.match) { return result }
        }
        if query.contains("@") {
            let byContact = try clients(
                """
                SELECT \(unescaped: columns) FROM clients
                WHERE id IN (SELECT client_id FROM contacts WHERE lower(email) = lower(\(query)::text COLLATE "C"))
                ORDER BY name, id
                """)
            if let result = outcome(byContact, .contactEmail) { return result }
        }
        let domain = query.split(separator: "@").last.map(String.init) ?? query
        if domain.contains(".") || query.contains("@") {
            // `nanolabs` as stored, or `acme.com` typed for a stored `acme`, or the reverse.
            let bare = domain.split(separator: ".").first.map(String.init) ?? domain
            let byDomain = try clients(
                """
                SELECT \(unescaped: columns) FROM clients
                WHERE lower(domain) = lower(\(domain)::text COLLATE "C") OR lower(domain) = lower(\(bare)::text COLLATE "C")
                ORDER BY name, id
                """)
            if let result = outcome(byDomain, .emailDomain) { return result }
        }
        let candidates = try session.query("SELECT id, name FROM clients", doing: doing).rows.map {
            row -> (id: String, name: String) in
            let (id, name) = try row.decode((String, String).self)
            return (id, name)
        }
        let ids = ClientNameSuggestions.best(for: query, among: candidates)
        return .notFound(
            suggestions: try ids.compactMap { id in
                try clients("SELECT \(unescaped: columns) FROM clients WHERE id = \(id)").first
            })
    }
}
