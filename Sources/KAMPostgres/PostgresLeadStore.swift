import Foundation
import KAMCore
import PostgresNIO

/// Leads' sources and values in a PostgreSQL database (`lead_details`), as `LeadRepository` keeps them in SQLite
/// (`LeadStoring`), shared by every process that opens it.
///
/// SQLite's single writer makes each write's read and write one step; here:
/// - `save` first locks the client's row (`SELECT … FOR NO KEY UPDATE`, `PostgresClientRecordStore.lockClient`), then reads
///   the details it replaces: two saves of one lead at once take turns, and each `lead.updated` event names what
///   changed since the other; the move it makes is `PostgresHealthStore.apply`'s compare-and-set.
/// - `add` inserts the client with `ON CONFLICT (id) DO NOTHING`: of two processes adding a client of one id, the
///   second waits for the first's commit, inserts nothing and gets SQLite's error naming the client that won.
///
/// For example:
///
///     let leads = PostgresLeadStore(store: try await PostgresStore.open(configuration))
///     try leads.save(LeadDetails(clientID: "acme", source: .referral, updatedAt: now), move: nil)
public struct PostgresLeadStore: LeadStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func details(clientID: String) throws -> LeadDetails? {
        try store.transaction(readOnly: true) { session in try Self.details(session, clientID: clientID) }
    }

    public func allDetails() throws -> [String: LeadDetails] {
        try store.transaction(readOnly: true) { session in
            let all = try PostgresLeadRows.details(
                session.query(
                    "SELECT \(unescaped: PostgresLeadRows.detailsColumns) FROM lead_details",
                    doing: "reading the leads' details"))
            return Dictionary(all.map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func save(_ details: LeadDetails, move: LeadTransition?) throws {
        let id = details.clientID
        try store.transaction(readOnly: false) { session in
            guard try PostgresClientRecordStore.lockClient(session, id, doing: "locking client \(id) to save its lead") else {
                throw StoreError(.clientNotFound, "no client has id '\(id)'; `kam leads list` shows the leads")
            }
            let before = try Self.details(session, clientID: id)
            try Self.write(session, details)
            if let move { try PostgresHealthStore.apply(session, move) }
            if let event = DomainEvent.leadUpdated(from: before, to: details) {
                try PostgresEventLog.append(session, event)
            }
        }
    }

    @discardableResult
    public func add(_ client: Client, details: LeadDetails) throws -> Client {
        try store.transaction(readOnly: false) { session in
            if let existing = try Self.clientName(session, client.id) { throw Self.taken(client.id, by: existing) }
            guard !client.id.isEmpty, !client.name.isEmpty else {
                throw StoreError(.invalidValue, "a client needs a non-empty id and name (got id '\(client.id)')")
            }
            if let owner = client.ownerID,
                try session.query("SELECT 1 FROM users WHERE id = \(owner)", doing: "reading user \(owner)").rows
                    .isEmpty
            {
                throw StoreError(
                    .invalidValue,
                    "client '\(client.id)': owner '\(owner)' is not a user; add the user first (users list of the "
                        + "import)")
            }
            let inserted = try session.query(
                """
                INSERT INTO clients (id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain,
                    consent_ai_analysis, consent_training, lifecycle, lead_status, renewal_date, created_at, updated_at)
                VALUES (\(client.id), \(client.name), \(client.externalID), \(client.industry), \(client.tier.rawValue),
                    \(client.monthlyBudget), \(client.currency), \(client.ownerID), \(client.domain),
                    \(client.consentAIAnalysis), \(client.consentTraining), \(client.lifecycle.rawValue),
                    \(client.leadStatus.rawValue), \(client.renewalDate?.timeIntervalSince1970),
                    \(client.createdAt.timeIntervalSince1970), \(client.updatedAt.timeIntervalSince1970))
                ON CONFLICT (id) DO NOTHING
                """, doing: "adding client \(client.id)")
            guard (inserted.metadata.rows ?? 0) > 0 else {
                // Another process added it since the check above (its commit is visible to this new statement).
                throw Self.taken(client.id, by: try Self.clientName(session, client.id) ?? client.name)
            }
            try PostgresEventLog.append(session, .clientCreated(client, at: details.updatedAt))
            try Self.write(session, details)
            if let event = DomainEvent.leadUpdated(from: nil, to: details) {
                try PostgresEventLog.append(session, event)
            }
            return client
        }
    }

    /// SQLite's refusal of a second client with the id `id`, held by the client named `name`.
    private static func taken(_ id: String, by name: String) -> StoreError {
        StoreError(
            .invalidValue,
            "a client already has id '\(id)' (\(name)); change its lead with `kam leads update \(id)`, or pass "
                + "another --id")
    }

    private static func clientName(_ session: PostgresSession, _ id: String) throws -> String? {
        try session.query("SELECT name FROM clients WHERE id = \(id)", doing: "reading client \(id)").rows.first
            .map { try $0.decode(String.self) }
    }

    /// The lead details of client `clientID` inside a caller's transaction.
    static func details(_ session: PostgresSession, clientID: String) throws -> LeadDetails? {
        try PostgresLeadRows.details(
            session.query(
                "SELECT \(unescaped: PostgresLeadRows.detailsColumns) FROM lead_details WHERE client_id = \(clientID)",
                doing: "reading the lead details of client \(clientID)")
        ).first
    }

    /// Replaces the row of `details` (none when it holds nothing) inside a caller's transaction.
    static func write(_ session: PostgresSession, _ details: LeadDetails) throws {
        let id = details.clientID
        guard !details.isEmpty else {
            try session.query("DELETE FROM lead_details WHERE client_id = \(id)", doing: "clearing the lead of \(id)")
            return
        }
        let needs = try details.needs.map { try DocumentCoding.encode($0) }
        let reasons = try details.icpReasons.map { try DocumentCoding.encode($0) }
        try session.query(
            """
            INSERT INTO lead_details (client_id, source, source_detail, value, currency, updated_at, size_band, needs,
                icp_score, icp_reasons)
            VALUES (\(id), \(details.source?.rawValue), \(details.sourceDetail), \(details.value), \(details.currency),
                \(details.updatedAt.timeIntervalSince1970), \(details.sizeBand?.rawValue), \(needs),
                \(details.icpScore), \(reasons))
            ON CONFLICT (client_id) DO UPDATE SET source = excluded.source, source_detail = excluded.source_detail,
                value = excluded.value, currency = excluded.currency, updated_at = excluded.updated_at,
                size_band = excluded.size_band, needs = excluded.needs, icp_score = excluded.icp_score,
                icp_reasons = excluded.icp_reasons
            """, doing: "saving the lead of client \(id)")
    }
}
