import Foundation
import KAMCore
import Testing

/// The evaluator: pure, every condition evaluated with the value it read, actions only when all hold, their
/// placeholders filled; the chain's verdicts.
@Suite struct RuleEvaluatorTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func healthEvent(_ score: Int, previous: Int?) -> RuleEvent {
        RuleEvent(
            id: 41, kind: "health.changed", clientID: "acme", subjectID: "acme",
            payload: ["score": .int(Int64(score)), "previous_score": previous.map { .int(Int64($0)) } ?? .null], occurredAt: now)
    }

    static let facts = RuleFacts(
        clientID: "acme", clientName: "Acme", ownerID: "maria", tier: .enterprise, health: 72, usageGrowth: 0.62,
        daysSilent: 12, openDeals: [.init(id: 7, stage: .proposal, daysInStage: 30)], sentiment: -0.4, renewalInDays: 45,
        inboundLast30: 2, inboundPrior30: 6)

    @Test func everyConditionIsReportedWithWhatItRead() {
        let rule = Rule(
            name: "r", trigger: .events([.healthChanged]),
            conditions: [.healthBelow(60), .renewalWithinDays(90), .tier([.standard]), .daysInStageAtLeast(21), .engagementDropAtLeast(50)],
            actions: [.notify(.owner, title: "{client} at {health}, renews in {renewal_days} days", body: "")])
        let evaluation = RuleEvaluator.evaluate(rule, event: Self.healthEvent(58, previous: 72), facts: Self.facts)
        #expect(!evaluation.matched)
        #expect(evaluation.actions.isEmpty)
        #expect(
            evaluation.conditions == [
                .init(field: "health_below", expected: "< 60", actual: "58", passed: true),
                .init(field: "renewal_within_days", expected: "within 90 days", actual: "in 45 days", passed: true),
                .init(field: "tier", expected: "one of standard", actual: "enterprise", passed: false),
                .init(field: "days_in_stage_at_least", expected: ">= 21 days", actual: "deal 7: 30 days in proposal", passed: true),
                .init(field: "engagement_drop_at_least", expected: "a drop of >= 50%", actual: "6 -> 2 inbound (-67%)", passed: true),
            ])
        #expect(evaluation.explanation.contains("tier enterprise (one of standard) no"))
    }

    /// What the engine checks before it reads a client's facts: only `event:` conditions, agreeing with the evaluation.
    @Test func theEventAloneDecidesPayloadConditions() {
        let rule = Rule(
            name: "r", trigger: .events([.suggestionCreated]),
            conditions: [.eventPayload(["type": ["competitor-mention"]]), .tier([.enterprise])],
            actions: [.notify(.owner, title: "{client}", body: "")])
        func event(_ type: String) -> RuleEvent {
            RuleEvent(id: 9, kind: "suggestion.created", clientID: "acme", subjectID: "s1", payload: ["type": .string(type)], occurredAt: Self.now)
        }
        #expect(RuleEvaluator.eventAllows(rule, event("competitor-mention")))
        #expect(!RuleEvaluator.eventAllows(rule, event("follow-up")))
        #expect(RuleEvaluator.evaluate(rule, event: event("competitor-mention"), facts: Self.facts).matched)
        #expect(!RuleEvaluator.evaluate(rule, event: event("follow-up"), facts: Self.facts).matched)
        // A rule without payload conditions is never turned away by the event alone.
        let plain = Rule(name: "p", trigger: .events([.suggestionCreated]), conditions: [.tier([.standard])], actions: rule.actions)
        #expect(RuleEvaluator.eventAllows(plain, event("follow-up")))
    }

    @Test func aMatchFillsTheActionsPlaceholders() {
        let rule = Rule(
            name: "r", trigger: .events([.healthChanged]), conditions: [.healthCrossedBelow(60), .usageGrowthAbove(50)],
            actions: [.notify(.owner, title: "{client} fell from {previous_health} to {health}; orders {usage_growth}", body: "{unknown}")])
        let evaluation = RuleEvaluator.evaluate(rule, event: Self.healthEvent(58, previous: 72), facts: Self.facts)
        #expect(evaluation.matched)
        #expect(evaluation.actions == [.notify(.owner, title: "Acme fell from 72 to 58; orders +62%", body: "{unknown}")])
        // Already below: a re-score from 58 to 55 does not cross.
        #expect(!RuleEvaluator.evaluate(rule, event: Self.healthEvent(55, previous: 58), facts: Self.facts).matched)
    }

    @Test func missingFactsFailTheirConditionAndSaySo() {
        let bare = RuleFacts(clientID: "new", clientName: "New Co")
        let rule = Rule(
            name: "r", trigger: .events([.contactCreated]),
            conditions: [.healthBelow(60), .usageGrowthAbove(10), .sentimentBelow(0), .renewalWithinDays(30), .daysSilentAtLeast(5)],
            actions: [.scoreLead])
        let evaluation = RuleEvaluator.evaluate(
            rule, event: RuleEvent(id: 3, kind: "contact.created", clientID: "new", occurredAt: Self.now), facts: bare)
        #expect(evaluation.conditions.map(\.actual) == [
            "unscored", "unknown (no orders in the 30 days before)", "no sentiment on record", "no renewal date", "never contacted",
        ])
        #expect(evaluation.conditions.map(\.passed) == [false, false, false, false, true])
    }

    @Test func aChainStopsAtItsDepthLimitAndOnASecondFiring() {
        #expect(RuleChain(root: 1, depth: 0).stop(firedInChain: false) == nil)
        #expect(RuleChain(root: 1, depth: 2).stop(firedInChain: true) == .alreadyFiredInChain)
        #expect(RuleChain(root: 1, depth: RuleChain.depthLimit).stop(firedInChain: false) == .depthLimit)
        #expect(RuleChain(root: 1, depth: 3).next == RuleChain(root: 1, depth: 4))
    }

    @Test func factsAreDerivedFromTheSnapshot() {
        let day = 86_400.0
        let snapshot = ClientSnapshot(
            client: Client(id: "acme", name: "Acme", ownerID: "maria", renewalDate: Self.now.addingTimeInterval(40 * day), createdAt: Self.now),
            activities: [
                Activity(clientID: "acme", kind: .email, direction: .inbound, occurredAt: Self.now.addingTimeInterval(-2 * day), sentiment: 0.7),
                Activity(clientID: "acme", kind: .email, direction: .inbound, occurredAt: Self.now.addingTimeInterval(-40 * day)),
                Activity(clientID: "acme", kind: .call, direction: .inbound, occurredAt: Self.now.addingTimeInterval(-45 * day)),
            ],
            orders: [
                Order(clientID: "acme", product: "x", amount: 300, orderedAt: Self.now.addingTimeInterval(-5 * day)),
                Order(clientID: "acme", product: "x", amount: 200, orderedAt: Self.now.addingTimeInterval(-35 * day)),
            ],
            lastInteractionAt: Self.now.addingTimeInterval(-2 * day))
        let facts = RuleFacts(snapshot: snapshot, health: 64, at: Self.now)
        #expect(facts.usageGrowth == 0.5)
        #expect(facts.daysSilent == 2)
        #expect(facts.sentiment == 0.7)
        #expect(facts.renewalInDays == 40)
        #expect((facts.inboundLast30, facts.inboundPrior30) == (1, 2))
        #expect(facts.engagementDrop == 0.5)
    }
}
