import Foundation

/// One line of an account manager's day: what to do, for whom, and why it ranks where it does.
public struct PlanItem: Codable, Sendable, Hashable {
    public enum Source: String, Codable, Sendable {
        case overdueTask = "overdue-task"
        case stuckDeal = "stuck-deal"
        case healthDrop = "health-drop"
        case inboundIntent = "inbound-intent"
        case suggestion
        /// Added by a rule's `add_to_plan` action.
        case rule
    }

    public var clientID: String
    public var clientName: String
    public var source: Source
    /// The record the item is about (`task:40`, `deal:12`, `client:acme`): its task done, its deal moved or (for
    /// `client:`) the client contacted completes a stored plan's item.
    public var target: String
    public var title: String
    public var reason: String
    /// 0...100, higher first.
    public var score: Int
    /// The deal's own probability (0...1), for an item about a deal.
    public var winProbability: Double?
    /// What to say when talking to the client about it.
    public var talkingPoint: String

    enum CodingKeys: String, CodingKey {
        case source, target, title, reason, score
        case clientID = "client_id", clientName = "client_name", winProbability = "win_probability"
        case talkingPoint = "talking_point"
    }

    public init(
        clientID: String, clientName: String, source: Source, target: String, title: String, reason: String, score: Int,
        winProbability: Double? = nil, talkingPoint: String
    ) {
        self.clientID = clientID
        self.clientName = clientName
        self.source = source
        self.target = target
        self.title = title
        self.reason = reason
        self.score = score
        self.winProbability = winProbability
        self.talkingPoint = talkingPoint
    }
}

/// An inbound email's analysed intent, as the plan reads it.
public struct InboundSignal: Sendable, Hashable {
    public var clientID: String
    public var subject: String
    public var intent: String
    public var urgency: String
    public var receivedAt: Date

    public init(clientID: String, subject: String, intent: String, urgency: String, receivedAt: Date) {
        self.clientID = clientID
        self.subject = subject
        self.intent = intent
        self.urgency = urgency
        self.receivedAt = receivedAt
    }
}

/// Ranks the day's work across a portfolio: overdue tasks, stuck deals, health drops, urgent inbound
/// mail and pending suggestions, each with its reason. Pure; the model only writes the narrative.
public struct DailyPlanner: Sendable {
    public var stuckDealDays: Int
    /// A stuck deal of at least this amount ranks higher.
    public var largeDealAmount: Double
    public var healthDropPoints = 10
    public var inboundDays = 3

    /// - Parameter rules: a deal is stuck, and large, by the suggestion rules' thresholds (`rules:` of `kam.yaml`).
    public init(rules: RuleThresholds = RuleThresholds()) {
        stuckDealDays = rules.suggestions.stuckDealDays
        largeDealAmount = rules.suggestions.largeDealAmount
    }

    /// - Parameter healthHistory: each client's recent scores, newest first.
    public func plan(
        snapshots: [ClientSnapshot], healthHistory: [String: [HealthScore]], suggestions: [Suggestion],
        inbound: [InboundSignal], now: Date, limit: Int = 15
    ) -> [PlanItem] {
        var items: [PlanItem] = []
        // Deals and tasks already on the plan; a suggestion about the same record adds nothing.
        var covered = Set<String>()
        let names = Dictionary(snapshots.map { ($0.client.id, $0.client.name) }, uniquingKeysWith: { a, _ in a })
        for s in snapshots {
            for task in s.pendingTasks where task.isOverdue(at: now) {
                covered.insert("task:\(task.id ?? 0)")
                let days = Int(now.timeIntervalSince(task.due!) / 86_400)
                items.append(
                    PlanItem(
                        clientID: s.client.id, clientName: s.client.name, source: .overdueTask, target: "task:\(task.id ?? 0)",
                        title: task.title, reason: "overdue by \(days) days (\(task.priority.rawValue) priority)",
                        score: min(100, 70 + task.priority.rank * 5 + min(20, days * 2)),
                        talkingPoint: "Say where \"\(task.title)\" stands and agree when it will be done."))
            }
            for deal in s.openDeals where deal.daysInStage(at: now) > stuckDealDays {
                covered.insert("deal:\(deal.id ?? 0)")
                let days = deal.daysInStage(at: now)
                items.append(
                    PlanItem(
                        clientID: s.client.id, clientName: s.client.name, source: .stuckDeal, target: "deal:\(deal.id ?? 0)",
                        title: "Move \(deal.name) out of \(deal.stage.rawValue)",
                        reason: "\(days) days in \(deal.stage.rawValue), \(ContextFormat.whole(deal.amount)) \(deal.currency) at \(Int(deal.probability * 100))%",
                        score: min(100, 60 + min(25, days - stuckDealDays) + (deal.amount >= largeDealAmount ? 10 : 0)),
                        winProbability: deal.probability,
                        talkingPoint: "Ask what still stands between \(deal.name) and the next stage, and who else has to agree."))
            }
            let history = healthHistory[s.client.id] ?? []
            if history.count >= 2, history[1].score - history[0].score >= healthDropPoints {
                let drop = history[1].score - history[0].score
                let weakest = history[0].factors.min { $0.score < $1.score }
                items.append(
                    PlanItem(
                        clientID: s.client.id, clientName: s.client.name, source: .healthDrop, target: "client:\(s.client.id)",
                        title: "Health fell to \(history[0].score)",
                        reason: "down \(drop) points" + (weakest.map { "; weakest: \($0.name), \($0.explanation)" } ?? ""),
                        score: min(100, 65 + drop),
                        talkingPoint: "Ask how things are going" + (weakest.map { ", starting with \($0.name)" } ?? "") + "."))
            }
        }
        for signal in inbound where now.timeIntervalSince(signal.receivedAt) <= Double(inboundDays) * 86_400 {
            let urgencyScore = ["critical": 30, "high": 20, "medium": 10].first { $0.key == signal.urgency }?.value ?? 0
            guard urgencyScore > 0 || signal.intent == "complaint" || signal.intent == "order" else { continue }
            items.append(
                PlanItem(
                    clientID: signal.clientID, clientName: names[signal.clientID] ?? signal.clientID, source: .inboundIntent,
                    target: "client:\(signal.clientID)", title: "Answer \"\(signal.subject)\"",
                    reason: "\(signal.intent), \(signal.urgency) urgency", score: min(100, 60 + urgencyScore),
                    talkingPoint: "Answer their \(signal.intent) about \"\(signal.subject)\" before anything else."))
        }
        for suggestion in suggestions where suggestion.status == .pending && !covered.contains(suggestion.target) {
            items.append(
                PlanItem(
                    clientID: suggestion.clientID, clientName: names[suggestion.clientID] ?? suggestion.clientID,
                    source: .suggestion, target: suggestion.target, title: suggestion.title, reason: suggestion.reasoning,
                    score: suggestion.priority * 9 / 10, talkingPoint: "Raise it: \(suggestion.title)."))
        }
        // One line per client and title; the highest-scoring reason wins.
        var seen = Set<String>()
        return items.sorted { ($0.score, $1.clientID, $1.title) > ($1.score, $0.clientID, $0.title) }
            .filter { seen.insert("\($0.clientID)|\($0.title)").inserted }
            .prefix(limit).map { $0 }
    }

    /// The plan as text for `plan.daily-review`'s `portfolio` input.
    public static func portfolioText(_ items: [PlanItem]) -> String {
        items.map { "- [\($0.score)] \($0.clientName) (\($0.clientID)): \($0.title) — \($0.reason)" }.joined(separator: "\n")
    }
}
