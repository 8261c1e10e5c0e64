import Foundation
import KAMCore
import PostgresNIO

/// Lead enrichment's proposals in a PostgreSQL database (`lead_proposals`), as `LeadProposalRepository` keeps them in
/// SQLite (`LeadProposalStoring`), shared by every process that opens it.
///
/// Each write first locks the client's row (`SELECT … FOR NO KEY UPDATE`, `PostgresClientRecordStore.lockClient`), SQLite's
/// single writer for one lead: two enrichments of a client at once take turns, so the second supersedes the first's
/// pending proposals and a field keeps one pending proposal; of two people deciding the same proposal at once, the
/// second waits for the first's commit, then finds nothing pending (nil), with no second event and nothing applied
/// twice.
///
/// For example:
///
///     let proposals = PostgresLeadProposalStore(store: try await PostgresStore.open(configuration))
///     try proposals.decide(clientID: "acme", field: .industry, accept: true, by: "maria", at: Date())
public struct PostgresLeadProposalStore: LeadProposalStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    @discardableResult
    public func propose(_ proposals: [LeadProposal], clientID: String, at now: Date) throws -> [LeadProposal] {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, clientID)
            var stored: [LeadProposal] = []
            for var proposal in proposals {
                try session.query(
                    """
                    UPDATE lead_proposals SET status = 'superseded', decided_at = \(now.timeIntervalSince1970)
                    WHERE client_id = \(clientID) AND field = \(proposal.field.rawValue) AND status = 'pending'
                    """, doing: "superseding the \(proposal.field.rawValue) proposals of client \(clientID)")
                let value = try DocumentCoding.encode(proposal.value)
                let inserted = try session.query(
                    """
                    INSERT INTO lead_proposals (client_id, field, value, source, confidence, status, prompt, created_at)
                    VALUES (\(clientID), \(proposal.field.rawValue), \(value), \(proposal.source),
                        \(proposal.confidence), 'pending', \(proposal.prompt),
                        \(proposal.createdAt.timeIntervalSince1970))
                    RETURNING id
                    """, doing: "storing a \(proposal.field.rawValue) proposal for client \(clientID)")
                guard let id = try inserted.rows.first?.decode(Int64.self) else {
                    throw PostgresStoreError(
                        .queryFailed, "the insert of a proposal for client \(clientID) returned no id")
                }
                proposal.id = id
                proposal.clientID = clientID
                proposal.status = .pending
                stored.append(proposal)
            }
            try PostgresEventLog.append(
                session, .leadEnriched(clientID: clientID, fields: stored.map(\.field), at: now))
            return stored
        }
    }

    public func proposals(clientID: String, all: Bool = false) throws -> [LeadProposal] {
        try store.transaction(readOnly: true) { session in
            try Self.proposals(
                session.query(
                    """
                    SELECT \(unescaped: Self.columns) FROM lead_proposals
                    WHERE client_id = \(clientID) AND (\(all) OR status = 'pending')
                    ORDER BY created_at DESC, id DESC
                    """, doing: "reading the proposals of client \(clientID)"))
        }
    }

    @discardableResult
    public func decide(clientID: String, field: LeadProposal.Field, accept: Bool, by user: String?, at now: Date) throws
        -> LeadProposal?
    {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, clientID)
            guard let proposal = try Self.pending(session, clientID: clientID, field: field) else { return nil }
            return try Self.decide(session, proposal, accept: accept, by: user, at: now)
        }
    }

    /// Locks the client's row for the transaction, or SQLite's `store.client-not-found` when there is none.
    static func requireClient(_ session: PostgresSession, _ id: String) throws {
        let doing = "locking client \(id) for its lead's proposals"
        guard try PostgresClientRecordStore.lockClient(session, id, doing: doing) else {
            throw StoreError(.clientNotFound, "no client has id '\(id)'; `kam clients list` shows the ids")
        }
    }

    /// The client's pending proposal of `field` (the newest, should there be several).
    static func pending(_ session: PostgresSession, clientID: String, field: LeadProposal.Field) throws
        -> LeadProposal?
    {
        try proposals(
            session.query(
                """
                SELECT \(unescaped: columns) FROM lead_proposals
                WHERE client_id = \(clientID) AND field = \(field.rawValue) AND status = 'pending'
                ORDER BY id DESC LIMIT 1
                """, doing: "reading the pending \(field.rawValue) proposal of client \(clientID)")
        ).first
    }

    /// Marks a pending proposal decided by `actor` (a user id, `rule:NAME`), applying an accepted one, with its
    /// `lead.proposal-decided` event.
    static func decide(
        _ session: PostgresSession, _ pending: LeadProposal, accept: Bool, by actor: String?, at now: Date
    ) throws -> LeadProposal {
        var proposal = pending
        if accept { try apply(session, proposal, at: now) }
        proposal.status = accept ? .accepted : .rejected
        proposal.decidedAt = now
        proposal.decidedBy = actor
        try session.query(
            """
            UPDATE lead_proposals SET status = \(proposal.status.rawValue), decided_at = \(now.timeIntervalSince1970),
                decided_by = \(actor)
            WHERE id = \(proposal.id)
            """, doing: "deciding a lead proposal of client \(proposal.clientID)")
        try PostgresEventLog.append(session, .leadProposalDecided(proposal))
        return proposal
    }

    static let columns =
        "id, client_id, field, value, source, confidence, status, prompt, created_at, decided_at, decided_by"

    /// The proposals of a result selecting `columns` (an unknown field or status read as SQLite reads it).
    static func proposals(_ result: PostgresQueryResult) throws -> [LeadProposal] {
        try result.rows.map { row in
            let (id, clientID, field, value, source, confidence, status, prompt, createdAt, decidedAt, decidedBy) =
                try row.decode(
                    (Int64, String, String, String, String, Double, String, String, Double, Double?, String?).self)
            return LeadProposal(
                id: id, clientID: clientID, field: LeadProposal.Field(rawValue: field) ?? .industry,
                value: try DocumentCoding.decode(LeadProposal.Value.self, from: value), source: source,
                confidence: confidence, status: LeadProposal.Status(rawValue: status) ?? .pending, prompt: prompt,
                createdAt: Date(timeIntervalSince1970: createdAt),
                decidedAt: decidedAt.map(Date.init(timeIntervalSince1970:)), decidedBy: decidedBy)
        }
    }
}
