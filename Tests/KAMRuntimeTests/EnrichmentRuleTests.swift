import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// A rule's `accept_enrichment` through the rules engine: on `lead.enriched` it accepts exactly the pending proposals
/// of the fields it names at or above its confidence, recorded as decided by the rule; without such a rule nothing is
/// applied.
@Suite struct EnrichmentRuleTests {
    static let rule = """
        rules:
          - name: trust-firm-enrichment
            on: [lead.enriched]
            do:
              - accept_enrichment: {fields: [industry, size-band, needs], min_confidence: 0.8}
        """

    /// Industry at 0.9 and size band at 0.8 qualify; needs at 0.79 is below; decision makers and the ICP fit are
    /// sure but not named.
    static let answer = LeadEnrichment(
        industry: .init(value: "Logistics", source: "email 3", confidence: 0.9),
        sizeBand: .init(value: "201-1000", source: "activity 2", confidence: 0.8),
        needs: [.init(need: "route visibility", source: "activity 2", confidence: 0.79)],
        decisionMakers: [.init(name: "Martina Berg", title: "COO", source: "email 3", confidence: 0.95)],
        icpFit: .init(score: 80, reasons: ["logistics"], source: "email 3", confidence: 1))

    static func enrich(_ world: RuleEngineTests.World) throws -> [LeadProposal] {
        let now = world.clock.now
        return try LeadProposalRepository(store: world.store).propose(
            LeadProposal.proposals(from: answer, clientID: "acme", prompt: "analysis.lead-enrichment@1", at: now),
            clientID: "acme", at: now)
    }

    @Test func theRuleAcceptsExactlyTheQualifyingProposals() async throws {
        let world = try await RuleEngineTests.world(workflows: Self.rule)
        let contacts = try world.store.contacts(clientID: "acme")
        #expect(try Self.enrich(world).count == 5)
        let scored = try HealthRepository(store: world.store).history(clientID: "acme").count
        try await world.runtime.rules.catchUp()
        // Re-scored at once, as when a person accepts: one more health score in the client's history.
        #expect(try HealthRepository(store: world.store).history(clientID: "acme").count == scored + 1)

        let all = try LeadProposalRepository(store: world.store).proposals(clientID: "acme", all: true)
        let status = Dictionary(uniqueKeysWithValues: all.map { ($0.field, $0.status) })
        #expect(
            status == [.industry: .accepted, .sizeBand: .accepted, .needs: .pending, .decisionMakers: .pending, .icpFit: .pending])
        #expect(all.filter { $0.status == .accepted }.allSatisfy { $0.decidedBy == "rule:trust-firm-enrichment" })
        // Applied: the industry to the client, the size band to the lead; nothing else.
        #expect(try world.store.client(id: "acme")?.industry == "Logistics")
        let details = try #require(try LeadRepository(store: world.store).details(clientID: "acme"))
        #expect(details.sizeBand == .large && details.needs == nil && details.icpScore == nil)
        #expect(try world.store.contacts(clientID: "acme") == contacts)

        let execution = try #require(try world.executions("trust-firm-enrichment").first)
        #expect(execution.status == .fired && execution.actions.map(\.outcome) == ["done"])
        #expect(execution.actions.first?.detail.hasPrefix("accepted industry (proposal ") == true, "\(execution.actions)")
        // The audit says which rule decided.
        let decided = try EventRepository(store: world.store).events(after: 0, kinds: ["lead.proposal-decided"], clientID: "acme")
        #expect(decided.count == 2)
        #expect(decided.allSatisfy { $0.payload.contains("\"rule\":\"trust-firm-enrichment\"") && $0.payload.contains("\"user_id\":null") })

        // A second enrichment with nothing firm enough: the rule fires and accepts nothing.
        world.clock.advance(3600)
        let now = world.clock.now
        try LeadProposalRepository(store: world.store).propose(
            [LeadProposal(clientID: "acme", field: .industry, value: .init(text: "Retail"), source: "email 4", confidence: 0.5,
                prompt: "analysis.lead-enrichment@1", createdAt: now)],
            clientID: "acme", at: now)
        try await world.runtime.rules.catchUp()
        #expect(try world.store.client(id: "acme")?.industry == "Logistics")
        // Nothing accepted: nothing re-scored.
        #expect(try HealthRepository(store: world.store).history(clientID: "acme").count == scored + 1)
        let second = try #require(try world.executions("trust-firm-enrichment").last)
        #expect(second.id != execution.id && second.actions.map(\.outcome) == ["skipped"])
    }

    @Test func withoutTheRuleNothingIsApplied() async throws {
        let world = try await RuleEngineTests.world()
        let before = try world.store.client(id: "acme")
        _ = try Self.enrich(world)
        try await world.runtime.rules.catchUp()
        let all = try LeadProposalRepository(store: world.store).proposals(clientID: "acme", all: true)
        #expect(all.count == 5 && all.allSatisfy { $0.status == .pending })
        #expect(try world.store.client(id: "acme") == before)
        #expect(try LeadRepository(store: world.store).details(clientID: "acme") == nil)
    }
}
