import Foundation
import GRDB
import KAMCore

/// Lead enrichment's proposals (`lead_proposals`): stored pending, and applied to the lead only in the transaction
/// where a person accepts one, or a rule's `accept_enrichment` does (decided by `rule:NAME`): industry to the client,
/// size band, needs and ICP fit to its `lead_details`, decision makers as new contacts, each write with its events.
///
/// For example:
/// ```swift
/// let repository = LeadProposalRepository(store: store)
/// try repository.propose(LeadProposal.proposals(from: answer, clientID: "acme", prompt: "analysis.lead-enrichment@1", at: now), clientID: "acme", at: now)
/// try repository.decide(clientID: "acme", field: .industry, accept: true, by: "maria", at: now)?.status   // .accepted
/// ```
public struct LeadProposalRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Stores an enrichment's proposals as pending, in one transaction: the client's pending proposals of the same
    /// fields become `superseded`, and a `lead.enriched` event names the fields.
    /// - Returns: the proposals with their ids.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    public func propose(_ proposals: [LeadProposal], clientID: String, at now: Date) throws -> [LeadProposal] {
        try store.writer.write { db in
            try ClientRecords.requireClient(db, clientID)
            var stored: [LeadProposal] = []
            for var proposal in proposals {
                try db.execute(
                    sql: "UPDATE lead_proposals SET status = 'superseded', decided_at = ? WHERE client_id = ? AND field = ? AND status = 'pending'",
                    arguments: [now.timeIntervalSince1970, clientID, proposal.field.rawValue])
                try db.execute(
                    sql: """
                        INSERT INTO lead_proposals (client_id, field, value, source, confidence, status, prompt, created_at)
                        VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [
                        clientID, proposal.field.rawValue, try DocumentCoding.encode(proposal.value), proposal.source,
                        proposal.confidence, proposal.prompt, proposal.createdAt.timeIntervalSince1970,
                    ])
                proposal.id = db.lastInsertedRowID
                proposal.clientID = clientID
                proposal.status = .pending
                stored.append(proposal)
            }
            try EventLog.append(db, .leadEnriched(clientID: clientID, fields: stored.map(\.field), at: now))
            return stored
        }
    }

    /// The client's proposals, newest first: only the pending ones unless `all`.
    public func proposals(clientID: String, all: Bool = false) throws -> [LeadProposal] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM lead_proposals WHERE client_id = ?" + (all ? "" : " AND status = 'pending'")
                    + " ORDER BY created_at DESC, id DESC",
                arguments: [clientID]
            ).map(Self.proposal)
        }
    }

    /// Decides the client's pending proposal of `field`, in one transaction: accepted, it is applied to the lead with
    /// the events of what it changed; rejected, it is only kept as rejected. Either way a `lead.proposal-decided`
    /// event says so.
    /// - Returns: the decided proposal; nil when the client has no pending proposal of `field`.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    public func decide(clientID: String, field: LeadProposal.Field, accept: Bool, by user: String?, at now: Date) throws
        -> LeadProposal?
    {
        try store.writer.write { db in
            try ClientRecords.requireClient(db, clientID)
            guard let proposal = try Self.pending(db, clientID: clientID, field: field) else { return nil }
            return try Self.decide(db, proposal, accept: accept, by: user, at: now)
        }
    }

    /// Accepts, inside a caller's transaction (a rule's execution: `accept_enrichment`), the client's pending
    /// proposals of `fields` whose confidence is `minConfidence` or more, each as `decide` accepts one; the others
    /// stay pending.
    /// - Returns: the accepted proposals, in the order of `fields`.
    /// - Throws: `StoreError` `.clientNotFound`.
    static func accept(
        _ db: Database, clientID: String, fields: [LeadProposal.Field], minConfidence: Double, by actor: String, at now: Date
    ) throws -> [LeadProposal] {
        try ClientRecords.requireClient(db, clientID)
        var accepted: [LeadProposal] = []
        for field in fields {
            guard let proposal = try pending(db, clientID: clientID, field: field), proposal.confidence >= minConfidence
            else { continue }
            accepted.append(try decide(db, proposal, accept: true, by: actor, at: now))
        }
        return accepted
    }

    /// The client's pending proposal of `field` (the newest, should there be several).
    private static func pending(_ db: Database, clientID: String, field: LeadProposal.Field) throws -> LeadProposal? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM lead_proposals WHERE client_id = ? AND field = ? AND status = 'pending' ORDER BY id DESC LIMIT 1",
            arguments: [clientID, field.rawValue]
        ).map(Self.proposal)
    }

    /// Marks a pending proposal decided by `actor` (a user id, `rule:NAME`), applying an accepted one, with its
    /// `lead.proposal-decided` event.
    private static func decide(_ db: Database, _ pending: LeadProposal, accept: Bool, by actor: String?, at now: Date) throws
        -> LeadProposal
    {
        var proposal = pending
        if accept { try apply(db, proposal, at: now) }
        proposal.status = accept ? .accepted : .rejected
        proposal.decidedAt = now
        proposal.decidedBy = actor
        try db.execute(
            sql: "UPDATE lead_proposals SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
            arguments: [proposal.status.rawValue, now.timeIntervalSince1970, actor, proposal.id])
        try EventLog.append(db, .leadProposalDecided(proposal))
        return proposal
    }

    /// Writes an accepted proposal's value where it belongs.
    private static func apply(_ db: Database, _ proposal: LeadProposal, at now: Date) throws {
        let clientID = proposal.clientID
        switch proposal.field {
        case .industry:
            guard let before = try ClientRecords.clientRow(db, id: clientID), let industry = proposal.value.text else { return }
            var after = before
            after.industry = industry
            after.updatedAt = now
            try ClientRecords.upsertClient(db, after, at: now)
            if let event = DomainEvent.clientUpdated(from: before, to: after, at: now) { try EventLog.append(db, event) }
        case .sizeBand, .needs, .icpFit:
            let before = try LeadRepository.details(db, clientID: clientID)
            guard let details = proposal.applied(to: before, at: now) else { return }
            try LeadRepository.write(db, details)
            if let event = DomainEvent.leadUpdated(from: before, to: details) { try EventLog.append(db, event) }
        case .decisionMakers:
            let known = Set(
                try String.fetchAll(db, sql: "SELECT name FROM contacts WHERE client_id = ?", arguments: [clientID])
                    .map { $0.lowercased() })
            for person in proposal.value.people ?? [] where !known.contains(person.name.lowercased()) {
                try ClientRecords.insertContact(
                    db, Contact(clientID: clientID, name: person.name, title: person.title, role: .decisionMaker), at: now)
            }
        }
    }

    static func proposal(_ row: Row) throws -> LeadProposal {
        LeadProposal(
            id: row["id"], clientID: row["client_id"],
            field: LeadProposal.Field(rawValue: row["field"]) ?? .industry,
            value: try DocumentCoding.decode(LeadProposal.Value.self, from: row["value"]), source: row["source"],
            confidence: row["confidence"], status: LeadProposal.Status(rawValue: row["status"]) ?? .pending,
            prompt: row["prompt"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            decidedAt: (row["decided_at"] as Double?).map(Date.init(timeIntervalSince1970:)), decidedBy: row["decided_by"])
    }
}
