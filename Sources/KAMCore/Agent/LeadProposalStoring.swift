import Foundation

/// Lead enrichment's proposals (`lead_proposals`), stored pending and applied to the lead only when a person accepts
/// one: `KAMStore.LeadProposalRepository` (SQLite) and `KAMPostgres.PostgresLeadProposalStore` implement it; the
/// services reach it through `Runtime.leadProposalStore`.
///
/// Both stores behave alike across processes sharing their database (`LeadStoreConformanceTests`): a client has at
/// most one pending proposal a field, and of two people deciding the same proposal at once exactly one decides it
/// (the other finds nothing pending).
///
/// For example:
/// ```swift
/// try proposals.propose(found, clientID: "acme", at: now)
/// try proposals.decide(clientID: "acme", field: .industry, accept: true, by: "maria", at: now)?.status   // .accepted
/// ```
public protocol LeadProposalStoring: Sendable {
    /// Stores an enrichment's proposals as pending, in one transaction: the client's pending proposals of the same
    /// fields become `superseded`, and a `lead.enriched` event names the fields.
    /// - Returns: the proposals with their ids.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    func propose(_ proposals: [LeadProposal], clientID: String, at now: Date) throws -> [LeadProposal]

    /// The client's proposals, newest first: only the pending ones unless `all`.
    func proposals(clientID: String, all: Bool) throws -> [LeadProposal]

    /// Decides the client's pending proposal of `field`, in one transaction: accepted, it is applied to the lead
    /// (industry to the client, size band, needs and ICP fit to its details, decision makers as new contacts) with
    /// the events of what it changed; rejected, it is only kept as rejected. Either way a `lead.proposal-decided`
    /// event says so.
    /// - Returns: the decided proposal; nil when the client has no pending proposal of `field`.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    func decide(clientID: String, field: LeadProposal.Field, accept: Bool, by user: String?, at now: Date) throws
        -> LeadProposal?
}
