import Foundation

/// The rules that turn a client's records into suggestions. Pure: the same snapshot and `now` give the
/// same suggestions, so `kam suggest run` can be re-run safely (the store drops duplicates).
///
/// When a rule fires is configuration (`RuleThresholds.suggestions`, the `rules:` section of `kam.yaml`).
/// The priorities stay in code: they rank the rules' suggestions against one another rather than decide
/// whether one is made, so changing one alone would only reorder the list against the others.
public struct SuggestionRules: Sendable {
    public var rules: RuleThresholds

    public init(rules: RuleThresholds = RuleThresholds()) {
        self.rules = rules
    }

    private var thresholds: SuggestionThresholds { rules.suggestions }

    /// Suggestions for one client. `makeID` names each new suggestion.
    public func evaluate(
        _ s: ClientSnapshot, health: HealthScore, lead: LeadScore, at now: Date, makeID: () -> String
    ) -> [Suggestion] {
        let client = s.client
        guard client.lifecycle != .churned else { return [] }
        let expires = now.addingTimeInterval(Double(thresholds.expiryDays) * 86_400)
        var out: [Suggestion] = []
        func add(
            _ type: SuggestionType, target: String, title: String, reasoning: String, evidence: [Evidence],
            priority: Int, action: ProposedAction
        ) {
            out.append(
                Suggestion(
                    id: makeID(), clientID: client.id, type: type, target: target, title: title, reasoning: reasoning,
                    evidence: evidence, priority: priority, action: action, createdAt: now, expiresAt: expires))
        }

        let silentDays = s.lastInteractionAt.map { Int(now.timeIntervalSince($0) / 86_400) }
        if silentDays.map({ $0 >= thresholds.silentDays }) ?? true {
            let last = s.activities.first
            let evidence =
                last.map { [Evidence(kind: "activity", id: "\($0.id ?? 0)", summary: Self.describe($0))] }
                ?? [Evidence(kind: "client", id: client.id, summary: "no interaction on record")]
            let days = silentDays.map { "\($0) days" } ?? "ever"
            add(
                .followUp, target: "client:\(client.id)", title: "Follow up with \(client.name)",
                reasoning: "No contact with \(client.name) for \(days); the threshold is \(thresholds.silentDays) days.",
                evidence: evidence, priority: 40 + min(40, (silentDays ?? 30) * 2),
                action: .draft(kind: .followUp, hint: "it has been \(days) since we last spoke"))
        }

        for deal in s.openDeals where deal.daysInStage(at: now) > thresholds.stuckDealDays {
            let days = deal.daysInStage(at: now)
            add(
                .statusCheck, target: "deal:\(deal.id ?? 0)", title: "Check the status of \(deal.name)",
                reasoning:
                    "\(deal.name) has been in \(deal.stage.rawValue) for \(days) days (more than \(thresholds.stuckDealDays)).",
                evidence: [
                    Evidence(
                        kind: "deal", id: "\(deal.id ?? 0)",
                        summary: "\(deal.name): \(deal.stage.rawValue) since \(Self.day(deal.stageEnteredAt)), \(ContextFormat.whole(deal.amount)) \(deal.currency)")
                ],
                priority: 55 + min(30, days - thresholds.stuckDealDays) + (deal.amount >= thresholds.largeDealAmount ? 10 : 0),
                action: .draft(kind: .dealUpdate, hint: "ask what is holding \(deal.name) in \(deal.stage.rawValue)"))
        }

        for task in s.pendingTasks where task.isOverdue(at: now) {
            let days = Int(now.timeIntervalSince(task.due!) / 86_400)
            guard days >= thresholds.overdueDays else { continue }
            add(
                .escalate, target: "task:\(task.id ?? 0)", title: "Escalate overdue task: \(task.title)",
                reasoning: "\"\(task.title)\" was due \(days) days ago and is still \(task.status.rawValue).",
                evidence: [Evidence(kind: "task", id: "\(task.id ?? 0)", summary: "\(task.title), due \(Self.day(task.due!))")],
                priority: 60 + task.priority.rank * 5 + min(20, days * 2),
                action: .task(title: "Resolve overdue: \(task.title)", dueInDays: 1, priority: .high))
        }

        let recentPositive = s.activities.filter {
            ($0.sentiment ?? 0) >= thresholds.positiveSentiment
                && now.timeIntervalSince($0.occurredAt) <= Double(thresholds.positiveWithinDays) * 86_400
        }
        let window = thresholds.orderGrowthWindowDays
        let growth = Self.orderGrowth(s.orders, now: now, windowDays: window)
        if !recentPositive.isEmpty || (growth.map { $0 >= thresholds.orderGrowth } ?? false) {
            var evidence = recentPositive.prefix(3).map {
                Evidence(kind: "activity", id: "\($0.id ?? 0)", summary: Self.describe($0))
            }
            var reasons: [String] = []
            if !recentPositive.isEmpty {
                reasons.append("\(recentPositive.count) positive interactions in \(thresholds.positiveWithinDays) days")
            }
            if let growth, growth >= thresholds.orderGrowth {
                reasons.append(String(format: "orders up %.0f%% on the previous %d days", growth * 100, window))
                evidence.append(Evidence(kind: "order", id: client.id, summary: reasons.last!))
            }
            add(
                .upsell, target: "client:\(client.id)", title: "Explore an upsell with \(client.name)",
                reasoning: reasons.joined(separator: "; ") + ".", evidence: evidence, priority: 45,
                action: .draft(kind: .checkIn, hint: "build on the recent momentum and propose the next tier"))
        }

        if health.score < thresholds.interventionBelowHealth {
            let weakest = health.factors.min { $0.score < $1.score }
            add(
                .intervention, target: "client:\(client.id)", title: "Intervene: \(client.name) health is \(health.score)",
                reasoning:
                    "Health \(health.score) (\(health.band.rawValue)) is below \(thresholds.interventionBelowHealth)"
                    + (weakest.map { "; weakest: \($0.name) — \($0.explanation)" } ?? "") + ".",
                evidence: health.factors.map {
                    Evidence(kind: "health", id: $0.name, summary: "\($0.name) \($0.score): \($0.explanation)")
                },
                priority: 75 + (thresholds.interventionBelowHealth - health.score) / 3,
                action: .task(title: "Plan a recovery call with \(client.name)", dueInDays: 2, priority: .urgent))
        }

        if let renewal = renewalRisk(s, health: health, at: now, makeID: makeID, expires: expires) { out.append(renewal) }
        out += objections(s, at: now, makeID: makeID, expires: expires)

        if lead.score >= thresholds.meetingLeadScore, client.leadStatus != .won, client.leadStatus != .lost {
            add(
                .scheduleMeeting, target: "client:\(client.id)", title: "Schedule a meeting with \(client.name)",
                reasoning: "Lead score \(lead.score) (\(lead.explanation)).",
                evidence: [Evidence(kind: "lead-score", id: client.id, summary: lead.explanation)], priority: 65,
                action: .draft(kind: .checkIn, hint: "propose a meeting to discuss next steps"))
        }
        return out
    }

    /// Order amount in the last `windowDays` against the same span before; nil when there is nothing to compare.
    static func orderGrowth(_ orders: [Order], now: Date, windowDays: Int) -> Double? {
        orderGrowth(orders.map { (orderedAt: $0.orderedAt, amount: $0.amount) }, now: now, windowDays: windowDays)
    }

    /// The same from each order's date and amount alone.
    static func orderGrowth(_ orders: [(orderedAt: Date, amount: Double)], now: Date, windowDays: Int) -> Double? {
        let window = Double(windowDays) * 86_400
        var recent = 0.0
        var prior = 0.0
        for order in orders {
            let age = now.timeIntervalSince(order.orderedAt)
            if age <= window { recent += order.amount } else if age <= 2 * window { prior += order.amount }
        }
        guard prior > 0 else { return nil }
        return (recent - prior) / prior
    }

    static func describe(_ a: Activity) -> String {
        "\(a.kind.rawValue) \(a.direction.rawValue) on \(day(a.occurredAt))" + (a.subject.map { ": \($0)" } ?? "")
    }

    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }
}
