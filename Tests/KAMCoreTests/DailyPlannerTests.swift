import Foundation
import KAMCore
import Testing

@Suite struct DailyPlannerTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    func days(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }

    @Test func ranksOverdueStuckDropsInboundAndSuggestionsWithoutRepeats() {
        let snapshot = ClientSnapshot(
            client: Client(id: "acme", name: "Acme", createdAt: days(400)),
            openDeals: [Deal(id: 4, clientID: "acme", name: "Renewal", stage: .proposal, amount: 90_000, stageEnteredAt: days(25))],
            pendingTasks: [ClientTask(id: 9, clientID: "acme", title: "Send SOC2 report", due: days(3), priority: .urgent)])
        let dealSuggestion = Suggestion(
            id: "s1", clientID: "acme", type: .statusCheck, target: "deal:4", title: "Check Renewal", reasoning: "stuck",
            evidence: [], priority: 80, action: .task(title: "x", dueInDays: 1, priority: .high), createdAt: now,
            expiresAt: now.addingTimeInterval(86_400))
        let other = Suggestion(
            id: "s2", clientID: "acme", type: .upsell, target: "client:acme", title: "Upsell", reasoning: "momentum",
            evidence: [], priority: 40, action: .task(title: "y", dueInDays: 1, priority: .low), createdAt: now,
            expiresAt: now.addingTimeInterval(86_400))
        let history = [
            HealthScore(clientID: "acme", score: 50, factors: [], computedAt: now),
            HealthScore(clientID: "acme", score: 72, factors: [], computedAt: days(7)),
        ]
        let inbound = [
            InboundSignal(clientID: "acme", subject: "Invoice wrong", intent: "complaint", urgency: "high", receivedAt: days(1)),
            InboundSignal(clientID: "acme", subject: "FYI", intent: "information", urgency: "low", receivedAt: days(1)),
        ]
        let plan = DailyPlanner().plan(
            snapshots: [snapshot], healthHistory: ["acme": history], suggestions: [dealSuggestion, other],
            inbound: inbound, now: now)
        #expect(plan.map(\.source) == [.overdueTask, .healthDrop, .stuckDeal, .inboundIntent, .suggestion])
        #expect(plan.first?.reason.contains("overdue by 3 days") == true)
        #expect(!plan.contains { $0.title == "Check Renewal" })
        #expect(!plan.contains { $0.title.contains("FYI") })
        #expect(plan.map(\.score) == plan.map(\.score).sorted(by: >))
    }
}
