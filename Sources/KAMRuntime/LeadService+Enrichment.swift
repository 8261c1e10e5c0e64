import Foundation
import KAMCore
import KAMStore

/// Lead enrichment (`kam leads enrich|proposals|accept|reject`, the `/leads/:id/enrich` and `/proposals` routes): the
/// shipped `analysis.lead-enrichment` reads what KAM holds about the lead (`LeadEvidence`: contacts, remembered facts,
/// activities and mail, the company's domain; nothing from the web) against kam.yaml's `icp:`, and each field it
/// proposes is stored pending with its source and confidence. A field reaches the lead only when a person accepts it.
///
/// For example:
/// ```swift
/// let enrichment = try await runtime.leads.enrich(clientID: "wayne", as: ActingUser("aisha"))
/// enrichment.proposals.map(\.field)   // [.industry, .sizeBand, .icpFit]
/// try runtime.leads.decide(clientID: "wayne", field: .industry, accept: true, as: ActingUser("aisha"))
/// ```
extension LeadService {
    /// The prompt that proposes.
    public static let enrichmentPrompt = "analysis.lead-enrichment"

    /// What one enrichment proposed, and the run that made it.
    public struct Enrichment: Encodable, Sendable {
        public var client: String
        /// The prompt version that ran (`analysis.lead-enrichment@1`).
        public var prompt: String
        public var proposals: [LeadProposal]
        public var provider: String
        public var model: String
        /// True when no model answered (the offline provider built the answer).
        public var offline: Bool
    }

    /// A decided proposal and the lead after it.
    public struct Decision: Encodable, Sendable {
        public var proposal: LeadProposal
        public var lead: Lead
    }

    /// Runs `analysis.lead-enrichment` for client `clientID` and stores its proposals pending (a field proposed again
    /// supersedes the pending proposal of it). Nothing of the lead changes.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`), `.wrongState` (`lead.no-consent`: the client has
    ///   not consented to AI analysis); what `PromptService.run` throws.
    public func enrich(clientID: String, as user: ActingUser) async throws -> Enrichment {
        let client = try runtime.client(id: clientID, as: user)
        guard client.consentAIAnalysis else {
            throw RuntimeError(
                .wrongState, code: "lead.no-consent",
                "lead '\(client.id)': \(client.name) has not consented to AI analysis; record the consent with "
                    + "`kam clients update \(client.id) --ai-consent yes` first")
        }
        let now = runtime.now()
        guard let snapshot = try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: now.addingTimeInterval(-365 * 86_400))
        else { throw AccessScope.clientNotFound(client.id) }
        var variables: [String: JSONValue] = [
            "company_name": .string(client.name), "icp": .string(runtime.configuration.icp.promptText),
            "evidence": .string(LeadEvidence.text(snapshot)),
        ]
        if let domain = client.domain { variables["domain"] = .string(domain) }
        let ran = try await runtime.prompts.run(Self.enrichmentPrompt, clientID: client.id, variables: variables, as: user)
        let answer = try PromptService.decode(LeadEnrichment.self, ran.run.output)
        let proposals = try runtime.leadProposalStore.propose(
            LeadProposal.proposals(from: answer, clientID: client.id, prompt: ran.template.reference, at: now),
            clientID: client.id, at: now)
        return Enrichment(
            client: client.id, prompt: ran.template.reference, proposals: proposals, provider: ran.run.provider,
            model: ran.run.model, offline: ran.run.isOffline)
    }

    /// Client `clientID`'s proposals, newest first: the pending ones, or every one with `all`.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`).
    public func proposals(clientID: String, all: Bool = false, as user: ActingUser) throws -> [LeadProposal] {
        let client = try runtime.client(id: clientID, as: user)
        return try runtime.leadProposalStore.proposals(clientID: client.id, all: all)
    }

    /// Accepts (applies to the lead) or rejects the pending proposal of `field`, then re-scores the client.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`; `lead.no-proposal` when nothing of `field` is pending).
    @discardableResult
    public func decide(clientID: String, field: LeadProposal.Field, accept: Bool, as user: ActingUser) throws -> Decision {
        let client = try runtime.client(id: clientID, as: user)
        guard
            let proposal = try runtime.leadProposalStore.decide(
                clientID: client.id, field: field, accept: accept, by: user.id, at: runtime.now())
        else {
            throw RuntimeError(
                .notFound, code: "lead.no-proposal",
                "lead '\(client.id)' has no pending proposal of \(field.rawValue); `kam leads proposals \(client.id)` "
                    + "lists them, `kam leads enrich \(client.id)` proposes")
        }
        if accept {
            _ = ClientRefresh(runtime: runtime).run(
                clientID: client.id, cause: "lead proposal \(field.rawValue) accepted\(user.byClause)")
        }
        let after = try runtime.client(id: client.id, as: user)
        return Decision(
            proposal: proposal, lead: try lead(after, details: try runtime.leadStore.details(clientID: client.id)))
    }
}
