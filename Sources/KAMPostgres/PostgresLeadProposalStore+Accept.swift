import Foundation
import KAMCore
import PostgresNIO

extension PostgresLeadProposalStore {
    /// Accepts, inside a caller's transaction (a rule's execution: `accept_enrichment`), the client's pending
    /// proposals of `fields` whose confidence is `minConfidence` or more, each as `decide` accepts one (the client's
    /// row locked first); the others stay pending.
    /// - Returns: the accepted proposals, in the order of `fields`.
    /// - Throws: `StoreError` `.clientNotFound`.
    static func accept(
        _ session: PostgresSession, clientID: String, fields: [LeadProposal.Field], minConfidence: Double,
        by actor: String, at now: Date
    ) throws -> [LeadProposal] {
        try requireClient(session, clientID)
        var accepted: [LeadProposal] = []
        for field in fields {
            guard let proposal = try pending(session, clientID: clientID, field: field),
                proposal.confidence >= minConfidence
            else { continue }
            accepted.append(try decide(session, proposal, accept: true, by: actor, at: now))
        }
        return accepted
    }
}
