import Foundation
import KAMCore
import Testing

/// Campaign engagement in the core: link patterns, the relationship factor of the health score, and the rule
/// conditions `link_clicked` and `decision_maker_clicked`.
@Suite struct CampaignEngagementTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let day = 86_400.0

    @Test func linkPatterns() {
        #expect(LinkPattern("*/pricing*").matches("https://kam.example/pricing?plan=pro"))
        #expect(LinkPattern("*/pricing*").matches("https://kam.example/PRICING"))
        #expect(LinkPattern("*/pricing*").matches("https://kam.example/blog/pricing-news"))  // "/pricing-news" has "/pricing"
        #expect(!LinkPattern("*/pricing").matches("https://kam.example/pricing/pro"))
        #expect(LinkPattern("pricing").matches("https://kam.example/Pricing/pro"))
        #expect(!LinkPattern("pricing").matches("https://kam.example/blog"))
        #expect(LinkPattern("https://*/demo*").matches("https://kam.example/demo"))
        #expect(!LinkPattern("https://*/demo*").matches("http://kam.example/demo"))
    }

    static func snapshot(_ touches: [CampaignTouch]) -> ClientSnapshot {
        ClientSnapshot(
            client: Client(id: "acme", name: "Acme", createdAt: now.addingTimeInterval(-400 * day)),
            contacts: [Contact(clientID: "acme", name: "Dana", email: "dana@acme.test", role: .decisionMaker)],
            lastInteractionAt: now.addingTimeInterval(-40 * day), campaignTouches: touches)
    }

    static func relationship(_ touches: [CampaignTouch]) -> HealthFactor {
        HealthScorer().score(snapshot(touches), at: now).factors.first { $0.name == "relationship depth" }!
    }

    @Test func recentCampaignEngagementRaisesTheRelationshipFactorByWhatPeopleDid() {
        // One contact (10) and a decision maker (20), last contact 40 days ago (0): 30 without campaigns.
        #expect(Self.relationship([]).score == 30)
        let sent = Self.now.addingTimeInterval(-5 * Self.day)
        #expect(Self.relationship([CampaignTouch(campaignID: 1, sentAt: sent, opened: true)]).score == 35)
        let clicked = Self.relationship([CampaignTouch(campaignID: 1, sentAt: sent, opened: true, clicked: true)])
        #expect(clicked.score == 40)
        #expect(clicked.explanation.hasSuffix("campaigns in 30 days: 1 opened, 1 clicked, 0 replied"))
        #expect(Self.relationship([CampaignTouch(campaignID: 1, sentAt: sent, replied: true)]).score == 45)
        // A campaign older than 30 days counts for nothing.
        #expect(Self.relationship([CampaignTouch(campaignID: 1, sentAt: Self.now.addingTimeInterval(-31 * Self.day), clicked: true)]).score == 30)
    }

    static func facts(_ touches: [CampaignTouch]) -> RuleFacts {
        RuleFacts(snapshot: snapshot(touches), health: nil, at: now)
    }

    @Test func clickRulesReadTheLinksOfTheLastThirtyDays() throws {
        let rules = try RuleSet.parse(
            """
            rules:
              - {name: any, on: [campaign.engaged], when: {link_clicked: "*/pricing*"}, do: [{task: "Call {client}"}]}
              - {name: boss, on: [campaign.engaged], when: {decision_maker_clicked: "*/pricing*"}, do: [{task: "Call {client}"}]}
            """, file: "rules.yaml")
        let any = try #require(rules.first { $0.name == "any" })
        let boss = try #require(rules.first { $0.name == "boss" })
        let event = RuleEvent(id: 1, kind: "campaign.engaged", clientID: "acme", occurredAt: Self.now)
        let sent = Self.now.addingTimeInterval(-3 * Self.day)
        let byUser = Self.facts([CampaignTouch(campaignID: 4, sentAt: sent, opened: true, clicked: true, clickedURLs: ["https://kam.example/pricing"])])
        #expect(RuleEvaluator.evaluate(any, event: event, facts: byUser).matched)
        #expect(RuleEvaluator.evaluate(any, event: event, facts: byUser).conditions[0].actual == "https://kam.example/pricing (campaign 4)")
        #expect(!RuleEvaluator.evaluate(boss, event: event, facts: byUser).matched)
        let byBoss = Self.facts([
            CampaignTouch(campaignID: 5, sentAt: sent, decisionMaker: true, opened: true, clicked: true, clickedURLs: ["https://kam.example/blog"]),
            CampaignTouch(campaignID: 4, sentAt: sent, decisionMaker: true, opened: true, clicked: true, clickedURLs: ["https://kam.example/pricing/pro"]),
        ])
        #expect(RuleEvaluator.evaluate(boss, event: event, facts: byBoss).matched)
        let old = Self.facts([
            CampaignTouch(campaignID: 1, sentAt: Self.now.addingTimeInterval(-45 * Self.day), decisionMaker: true, clicked: true, clickedURLs: ["https://kam.example/pricing"])
        ])
        let stale = RuleEvaluator.evaluate(boss, event: event, facts: old)
        #expect(!stale.matched)
        #expect(stale.conditions[0].actual == "no click in 30 days")
        #expect(throws: (any Error).self) {
            try RuleSet.parse("rules:\n  - {name: x, on: [campaign.engaged], when: {link_clicked: [a, b]}, do: [{task: y}]}\n", file: "bad.yaml")
        }
    }
}
