import Foundation
import KAMCore
import Testing

/// Seed 002's renewal risks: a renewal coming up while health, contact or lifecycle says it may not happen.
@Suite struct SuggestionRulesRenewalTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A client renewing in `renewsIn` days; healthy (a decision maker and a champion, orders growing, in
    /// touch `lastContact` days ago) unless told otherwise.
    func snapshot(renewsIn: Double?, lastContact: Double = 2, lifecycle: LifecycleStatus = .active, healthy: Bool = true)
        -> ClientSnapshot
    {
        let day = 86_400.0
        let client = Client(
            id: "acme", name: "Acme", lifecycle: lifecycle, renewalDate: renewsIn.map { now.addingTimeInterval($0 * day) },
            createdAt: now.addingTimeInterval(-400 * day))
        let contacts =
            healthy
            ? [
                Contact(id: 1, clientID: "acme", name: "Jane", role: .decisionMaker),
                Contact(id: 2, clientID: "acme", name: "Ann", role: .champion),
                Contact(id: 3, clientID: "acme", name: "Bo", role: .user),
            ] : []
        let orders =
            healthy
            ? [Order(id: 1, clientID: "acme", product: "Plan", quantity: 1, amount: 1_000, orderedAt: now.addingTimeInterval(-10 * day))]
            : []
        return ClientSnapshot(
            client: client, contacts: contacts, orders: orders, lastInteractionAt: now.addingTimeInterval(-lastContact * day))
    }

    func risks(_ s: ClientSnapshot, rules: RuleThresholds = RuleThresholds()) -> [Suggestion] {
        SuggestionRules.scoring(s, rules: rules, at: now).filter { $0.type == .renewalRisk }
    }

    @Test func anUnhealthyClientRenewingSoonIsARisk() throws {
        let risk = try #require(risks(snapshot(renewsIn: 30, healthy: false)).first)
        #expect(risk.target == "client:acme")
        #expect(risk.title == "Renewal at risk: Acme renews in 30 days")
        #expect(risk.evidence.map(\.kind) == ["client", "health"])
        #expect(risk.reasoning.contains("within 60"))
        if case .task(_, _, let priority) = risk.action { #expect(priority == .high) } else { Issue.record("a task, never a message") }
    }

    @Test func silenceOrAnAtRiskLifecycleIsARiskTooButAHealthyClientInTouchIsNot() {
        #expect(risks(snapshot(renewsIn: 30)).isEmpty, "healthy and in touch")
        #expect(risks(snapshot(renewsIn: 30, lastContact: 9)).first?.evidence.last?.summary == "no contact for 9 days")
        #expect(risks(snapshot(renewsIn: 30, lifecycle: .atRisk)).first?.evidence.last?.summary == "marked at risk")
    }

    @Test func onlyARenewalAheadWithinTheWindowCounts() {
        #expect(risks(snapshot(renewsIn: nil, healthy: false)).isEmpty)
        #expect(risks(snapshot(renewsIn: 90, healthy: false)).isEmpty)
        #expect(risks(snapshot(renewsIn: -3, healthy: false)).isEmpty, "a date already past is for a person to update")
        #expect(risks(snapshot(renewsIn: 59, healthy: false)).count == 1)
        let close = risks(snapshot(renewsIn: 5, healthy: false)).first!.priority
        let far = risks(snapshot(renewsIn: 55, healthy: false)).first!.priority
        #expect(close > far, "the nearer renewal ranks higher")
    }

    @Test func theWindowIsConfiguration() {
        var rules = RuleThresholds()
        rules.suggestions.renewalWithinDays = 120
        #expect(risks(snapshot(renewsIn: 90, healthy: false), rules: rules).count == 1)
        rules.suggestions.renewalWithinDays = 10
        #expect(risks(snapshot(renewsIn: 30, healthy: false), rules: rules).isEmpty)
    }
}
