import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// The enrichment acceptance flow over the demo accounts with the offline writer: proposals are stored pending and
/// nothing reaches the lead until a person accepts a field; a rejected field never does.
@Suite struct LeadEnrichmentServiceTests {
    @Test func nothingIsAppliedUntilAFieldIsAccepted() async throws {
        let world = try await CRMTestWorld.demo()
        let tom = ActingUser("tom")
        let before = try world.runtime.client("globex")
        let enrichment = try await world.runtime.leads.enrich(clientID: "globex", as: tom)
        #expect(enrichment.prompt == "analysis.lead-enrichment@1" && enrichment.offline)
        let fields = enrichment.proposals.map(\.field)
        #expect(fields.contains(.industry) && fields.contains(.icpFit))
        #expect(enrichment.proposals.allSatisfy { $0.status == .pending && $0.id != nil })
        // Proposed, not applied: the client and its lead are as they were.
        #expect(try world.runtime.client("globex") == before)
        #expect(try LeadRepository(store: world.runtime.sqliteStore!).details(clientID: "globex") == nil)
        #expect(try world.runtime.leads.proposals(clientID: "globex", as: tom).count == enrichment.proposals.count)

        let industry = try #require(enrichment.proposals.first { $0.field == .industry }?.value.text)
        let accepted = try world.runtime.leads.decide(clientID: "globex", field: .industry, accept: true, as: tom)
        #expect(accepted.proposal.status == .accepted && accepted.proposal.decidedBy == "tom")
        #expect(try world.runtime.client("globex").industry == industry)

        let rejected = try world.runtime.leads.decide(clientID: "globex", field: .icpFit, accept: false, as: tom)
        #expect(rejected.proposal.status == .rejected && rejected.lead.details?.icpScore == nil)
        #expect(try LeadRepository(store: world.runtime.sqliteStore!).details(clientID: "globex")?.icpScore == nil)
        // Decided once: nothing of the field is pending any more.
        let again = #expect(throws: RuntimeError.self) {
            try world.runtime.leads.decide(clientID: "globex", field: .icpFit, accept: true, as: tom)
        }
        #expect(again?.code == "lead.no-proposal")
        #expect(try world.runtime.leads.proposals(clientID: "globex", all: true, as: tom).count == enrichment.proposals.count)

        // A second enrichment supersedes what is still pending.
        let pendingBefore = try world.runtime.leads.proposals(clientID: "globex", as: tom)
        _ = try await world.runtime.leads.enrich(clientID: "globex", as: tom)
        let all = try world.runtime.leads.proposals(clientID: "globex", all: true, as: tom)
        #expect(all.filter { $0.status == .superseded }.count == pendingBefore.count)
    }

    @Test func acceptedDecisionMakersBecomeContactsAndTheRestGoesToTheLead() async throws {
        let world = try await CRMTestWorld.demo()
        let answer = LeadEnrichment(
            industry: .init(value: "unknown", source: "none", confidence: 0),
            sizeBand: .init(value: "201-1000", source: "activity 3", confidence: 0.7),
            needs: [.init(need: "route visibility", source: "activity 3", confidence: 0.8)],
            decisionMakers: [
                .init(name: "Martina Berg", title: "COO", source: "activity 3", confidence: 0.9),
                .init(name: "Hank Scorpio", title: "", source: "activity 3", confidence: 0.9),
            ],
            icpFit: .init(score: 72, reasons: ["logistics"], source: "activity 3", confidence: 0.6))
        let repository = LeadProposalRepository(store: world.runtime.sqliteStore!)
        try repository.propose(
            LeadProposal.proposals(from: answer, clientID: "globex", prompt: "analysis.lead-enrichment@1", at: world.now),
            clientID: "globex", at: world.now)
        let contactsBefore = try world.runtime.sqliteStore!.contacts(clientID: "globex")
        for field in [LeadProposal.Field.sizeBand, .needs, .decisionMakers, .icpFit] {
            try world.runtime.leads.decide(clientID: "globex", field: field, accept: true, as: .anonymous)
        }
        let lead = try world.runtime.leads.lead(clientID: "globex", as: .anonymous)
        #expect(lead.details?.sizeBand == .large && lead.details?.needs == ["route visibility"])
        #expect(lead.details?.icpScore == 72 && lead.details?.icpReasons == ["logistics"])
        let added = try world.runtime.sqliteStore!.contacts(clientID: "globex").filter { !contactsBefore.contains($0) }
        // Hank Scorpio is already a contact of globex: only Martina Berg is new.
        #expect(contactsBefore.contains { $0.name == "Hank Scorpio" })
        #expect(added.map(\.name) == ["Martina Berg"] && added.first?.role == .decisionMaker && added.first?.title == "COO")
        let kinds = try EventRepository(store: world.runtime.sqliteStore!).events(after: 0, clientID: "globex").map(\.kind)
        #expect(kinds.filter { $0 == "lead.proposal-decided" }.count == 4 && kinds.contains("lead.enriched"))
    }

    @Test func aClientWithoutConsentOrOutsideTheScopeIsNotEnriched() async throws {
        let world = try await CRMTestWorld.demo()
        let refused = await #expect(throws: RuntimeError.self) {
            try await world.runtime.leads.enrich(clientID: "stark", as: .anonymous)
        }
        #expect(refused?.code == "lead.no-consent" && refused?.kind == .wrongState)
        let hidden = await #expect(throws: RuntimeError.self) {
            try await world.runtime.leads.enrich(clientID: "globex", as: ActingUser("sven"))
        }
        #expect(hidden?.code == "client.not-found")
        #expect(try LeadProposalRepository(store: world.runtime.sqliteStore!).proposals(clientID: "stark", all: true).isEmpty)
    }
}
