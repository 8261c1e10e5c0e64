import Foundation
import KAMCore
import Testing

@Suite struct SuggestionRulesTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    func days(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }

    func snapshot(
        lastContactDaysAgo: Double? = 2, deals: [Deal] = [], tasks: [ClientTask] = [], activities: [Activity] = [],
        contacts: [Contact] = [], orders: [Order] = [], budget: Double? = nil, status: LeadStatus = .won
    ) -> ClientSnapshot {
        ClientSnapshot(
            client: Client(id: "acme", name: "Acme", monthlyBudget: budget, leadStatus: status, createdAt: days(400)),
            contacts: contacts, activities: activities, openDeals: deals, pendingTasks: tasks, orders: orders,
            lastInteractionAt: lastContactDaysAgo.map { days($0) })
    }

    func run(_ s: ClientSnapshot) -> [Suggestion] {
        SuggestionRules.scoring(s, at: now)
    }

    @Test func silenceTriggersFollowUpOnlyPastSevenDays() {
        #expect(run(snapshot(lastContactDaysAgo: 10)).contains { $0.type == .followUp })
        #expect(!run(snapshot(lastContactDaysAgo: 3)).contains { $0.type == .followUp })
    }

    @Test func stuckDealTriggersStatusCheckWithEvidence() throws {
        let deal = Deal(id: 7, clientID: "acme", name: "Renewal", stage: .proposal, amount: 10_000, stageEnteredAt: days(20))
        let fresh = Deal(id: 8, clientID: "acme", name: "Pilot", stage: .proposal, amount: 1_000, stageEnteredAt: days(3))
        let out = run(snapshot(deals: [deal, fresh]))
        let checks = out.filter { $0.type == .statusCheck }
        #expect(checks.count == 1)
        let check = try #require(checks.first)
        #expect(check.target == "deal:7")
        #expect(check.evidence.first?.kind == "deal")
        #expect(check.reasoning.contains("20 days"))
    }

    @Test func overdueTaskEscalatesAsAPendingTaskNeverAMessage() throws {
        let task = ClientTask(id: 3, clientID: "acme", title: "Send SOC2 report", due: days(4), priority: .high)
        let out = run(snapshot(tasks: [task]))
        let escalation = try #require(out.first { $0.type == .escalate })
        #expect(escalation.target == "task:3")
        if case .task = escalation.action {} else { Issue.record("escalation should create a task") }
    }

    @Test func positiveActivityTriggersUpsell() {
        let happy = Activity(id: 1, clientID: "acme", kind: .call, occurredAt: days(2), subject: "QBR", sentiment: 0.8)
        #expect(run(snapshot(activities: [happy])).contains { $0.type == .upsell })
        let neutral = Activity(id: 1, clientID: "acme", kind: .call, occurredAt: days(2), subject: "QBR", sentiment: 0.1)
        #expect(!run(snapshot(activities: [neutral])).contains { $0.type == .upsell })
    }

    @Test func lowHealthTriggersIntervention() {
        let s = snapshot(lastContactDaysAgo: 60, tasks: [ClientTask(id: 1, clientID: "acme", title: "x", due: days(9))])
        let health = HealthScorer().score(s, at: now)
        #expect(health.score < 60)
        #expect(run(s).contains { $0.type == .intervention })
    }

    @Test func strongLeadTriggersMeeting() {
        let s = snapshot(
            deals: [Deal(id: 1, clientID: "acme", name: "New", stage: .qualification, amount: 5_000, closeDate: now.addingTimeInterval(30 * 86_400), stageEnteredAt: days(2))],
            activities: [Activity(id: 1, clientID: "acme", kind: .email, direction: .inbound, occurredAt: days(1))],
            contacts: [Contact(clientID: "acme", name: "Ana", role: .decisionMaker)], status: .qualified)
        #expect(LeadScorer().score(s, at: now).score == 100)
        #expect(run(s).contains { $0.type == .scheduleMeeting })
    }

    @Test func healthBandsAndWeights() {
        #expect(HealthBand(score: 80) == .excellent)
        #expect(HealthBand(score: 79) == .good)
        #expect(HealthBand(score: 59) == .atRisk)
        #expect(HealthBand(score: 39) == .critical)
        let h = HealthScorer().score(snapshot(), at: now)
        #expect(h.factors.map(\.weight).reduce(0, +) == 1.0)
        #expect(h.factors.allSatisfy { !$0.explanation.isEmpty })
    }

    @Test func leadLifecycleAutomaticMoves() {
        #expect(LeadLifecycle.afterActivity(clientID: "a", status: .new, at: now)?.to == .contacted)
        #expect(LeadLifecycle.afterActivity(clientID: "a", status: .qualified, at: now) == nil)
        let strong = LeadScore(score: 50, budget: true, authority: true, need: false, timeline: false, explanation: "")
        #expect(LeadLifecycle.afterScoring(clientID: "a", status: .contacted, score: strong, at: now)?.automatic == true)
        let weak = LeadScore(score: 25, budget: true, authority: false, need: false, timeline: false, explanation: "")
        #expect(LeadLifecycle.afterScoring(clientID: "a", status: .contacted, score: weak, at: now) == nil)
    }
}
