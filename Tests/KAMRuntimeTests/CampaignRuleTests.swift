import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// Engagement with campaigns reaching the rules and the health score through the runtime: a decision maker's click on
/// the pricing link makes a suggestion (a user's click does not), and the client's relationship factor shows it.
@Suite struct CampaignRuleTests {
    static let report = """
        Email Address,Campaign Title,Send Time,Opens,Clicks,Clicked URLs
        dana@acme.test,Pricing,2026-11-28,1,1,https://kam.example/pricing
        uma@newco.test,Pricing,2026-11-28,1,1,https://kam.example/pricing
        """

    @Test func aDecisionMakersClickOnThePricingLinkMakesASuggestion() async throws {
        let world = try await RuleEngineTests.world(
            workflows: """
                rules:
                  - name: pricing-interest
                    on: [campaign.engaged]
                    when: {decision_maker_clicked: "*/pricing*"}
                    do:
                      - suggest: upsell
                        title: "{client}: a decision maker clicked the pricing link"
                        priority: 75
                """)
        try world.store.addContact(Contact(clientID: "acme", name: "Dana", email: "dana@acme.test", role: .decisionMaker))
        try world.store.addContact(Contact(clientID: "newco", name: "Uma", email: "uma@newco.test", role: .user))
        try await world.runtime.rules.catchUp()
        let summary = try world.runtime.campaigns.importCSV(Data(Self.report.utf8), file: "pricing.csv", vendor: .mailchimp, as: .anonymous)
        #expect(summary.linkedToContacts == 2)
        try await world.runtime.rules.catchUp()

        let fired = try world.executions("pricing-interest")
        #expect(fired.map(\.clientID) == ["acme"])
        #expect(fired.first?.conditions.first?.actual == "https://kam.example/pricing (campaign \(summary.campaigns[0].id))")
        let suggestions = try SuggestionRepository(store: world.store).pending(clientID: "acme", type: .upsell, now: world.clock.now)
        #expect(suggestions.map(\.title) == ["Acme: a decision maker clicked the pricing link"])
        #expect(try SuggestionRepository(store: world.store).pending(clientID: "newco", type: .upsell, now: world.clock.now).isEmpty)
        let skipped = try RuleExecutionRepository(store: world.store).log(rule: "pricing-interest", limit: 10).filter { $0.clientID == "newco" }
        #expect(skipped.map(\.status) == [.skipped])

        let snapshot = try #require(try world.store.snapshot(clientID: "acme", activitiesSince: world.clock.now.addingTimeInterval(-60 * 86_400)))
        #expect(snapshot.campaignTouches.count == 1)
        let relationship = HealthScorer().score(snapshot, at: world.clock.now).factors.first { $0.name == "relationship depth" }
        #expect(relationship?.explanation.hasSuffix("campaigns in 30 days: 1 opened, 1 clicked, 0 replied") == true)
    }

    /// The shipped `pricing-interest`: a decision maker of acme clicked the pricing link (a follow-up proposed, its
    /// acceptance a follow-up draft); a user of newco clicked it, and a decision maker of globex clicked another link
    /// (nothing for either).
    @Test func theShippedPricingRuleProposesAFollowUpOnlyForADecisionMakersPricingClick() async throws {
        let world = try await RuleEngineTests.world()
        try world.store.addClient(Client(id: "globex", name: "Globex", ownerID: "olaf", createdAt: RuleEngineTests.t0))
        try world.store.addContact(Contact(clientID: "acme", name: "Dana", email: "dana@acme.test", role: .decisionMaker))
        try world.store.addContact(Contact(clientID: "newco", name: "Uma", email: "uma@newco.test", role: .user))
        try world.store.addContact(Contact(clientID: "globex", name: "Gil", email: "gil@globex.test", role: .decisionMaker))
        try await world.runtime.rules.catchUp()
        let report = Self.report + "\ngil@globex.test,Pricing,2026-11-28,1,1,https://kam.example/blog/launch"
        let summary = try world.runtime.campaigns.importCSV(Data(report.utf8), file: "pricing.csv", vendor: .mailchimp, as: .anonymous)
        #expect(summary.linkedToContacts == 3)
        try await world.runtime.rules.catchUp()

        #expect(try world.executions("pricing-interest").map(\.clientID) == ["acme"])
        let suggestions = SuggestionRepository(store: world.store)
        let followUps = try suggestions.pending(clientID: "acme", type: .followUp, now: world.clock.now)
        #expect(followUps.map(\.title) == ["Acme: a decision maker clicked the pricing link"])
        #expect(followUps.first?.action == .draft(kind: .followUp, hint: "Acme: a decision maker clicked the pricing link"))
        for other in ["newco", "globex"] {
            #expect(try suggestions.pending(clientID: other, type: .followUp, now: world.clock.now).isEmpty)
        }
        let skipped = try RuleExecutionRepository(store: world.store).log(rule: "pricing-interest", limit: 10)
            .filter { $0.clientID != "acme" }
        #expect(Set(skipped.map(\.clientID)) == ["newco", "globex"] && skipped.allSatisfy { $0.status == .skipped })
    }
}
