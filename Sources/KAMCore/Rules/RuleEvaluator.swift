import Foundation

/// Evaluates rules: pure, the same rule, event and facts give the same evaluation. Every condition is evaluated
/// (none is skipped after a failing one) so the log explains all of them.
///
/// For example:
/// ```swift
/// let evaluation = RuleEvaluator.evaluate(rule, event: event, facts: facts)
/// evaluation.matched      // true when every condition held
/// evaluation.conditions   // each with the value it read
/// ```
public enum RuleEvaluator {
    public static func evaluate(_ rule: Rule, event: RuleEvent, facts: RuleFacts) -> RuleEvaluation {
        let conditions = rule.conditions.map { condition(of: $0, in: rule, event: event, facts: facts) }
        let matched = conditions.allSatisfy(\.passed)
        let values = facts.placeholders(event: event)
        let actions = matched ? rule.actions.map { $0.filled { fill($0, values) } } : []
        return RuleEvaluation(rule: rule.name, matched: matched, conditions: conditions, actions: actions)
    }

    /// `text` with each `{name}` replaced by its value (an unknown name stays as written; reading a rule refuses it).
    static func fill(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("{") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// The placeholder names `text` uses.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    private static func condition(
        of condition: RuleCondition, in rule: Rule, event: RuleEvent, facts: RuleFacts
    ) -> RuleEvaluation.Condition {
        func result(_ actual: String, _ passed: Bool) -> RuleEvaluation.Condition {
            RuleEvaluation.Condition(field: condition.field, expected: condition.expected, actual: actual, passed: passed)
        }
        let isHealthEvent = event.kind == EventKind.healthChanged.rawValue
        switch condition {
        case .healthBelow(let limit):
            let score = (isHealthEvent ? event.payload["score"]?.intValue.map(Int.init) : nil) ?? facts.health
            guard let score else { return result("unscored", false) }
            return result("\(score)", score < limit)
        case .healthCrossedBelow(let limit):
            guard isHealthEvent, let score = event.payload["score"]?.intValue else {
                return result("not a health.changed event", false)
            }
            guard let previous = event.payload["previous_score"]?.intValue else {
                return result("first score \(score)", score < Int64(limit))
            }
            return result("\(previous) -> \(score)", previous >= Int64(limit) && score < Int64(limit))
        case .healthDropAtLeast(let points):
            guard isHealthEvent, let score = event.payload["score"]?.intValue else {
                return result("not a health.changed event", false)
            }
            guard let previous = event.payload["previous_score"]?.intValue else { return result("first score \(score)", false) }
            return result("\(previous) -> \(score)", previous - score >= Int64(points))
        case .usageGrowthAbove(let percent):
            guard let growth = facts.usageGrowth else { return result("unknown (no orders in the 30 days before)", false) }
            return result(RuleFacts.percent(growth), growth * 100 > percent)
        case .daysSilentAtLeast(let days):
            guard let silent = facts.daysSilent else { return result("never contacted", true) }
            return result("\(silent) days", silent >= days)
        case .dealStage(let stages):
            if let deal = eventDeal(event) {
                return result("deal \(deal.id) entered \(deal.stage.rawValue)", stages.contains(deal.stage))
            }
            let found = facts.openDeals.filter { stages.contains($0.stage) }
            return result(
                facts.openDeals.isEmpty
                    ? "no open deal" : facts.openDeals.map { "deal \($0.id) \($0.stage.rawValue)" }.joined(separator: ", "),
                !found.isEmpty)
        case .daysInStageAtLeast(let days):
            let stages = rule.conditions.lazy.compactMap { if case .dealStage(let s) = $0 { s } else { nil } }.first
            let deals: [RuleFacts.DealFact]
            if let deal = eventDeal(event) {
                deals = [facts.openDeals.first { $0.id == deal.id } ?? deal]
            } else {
                deals = facts.openDeals.filter { stages?.contains($0.stage) ?? true }
            }
            guard let longest = deals.max(by: { $0.daysInStage < $1.daysInStage }) else { return result("no open deal", false) }
            return result("deal \(longest.id): \(longest.daysInStage) days in \(longest.stage.rawValue)", longest.daysInStage >= days)
        case .sentimentBelow(let limit):
            guard let sentiment = facts.sentiment else { return result("no sentiment on record", false) }
            return result("\(sentiment)", sentiment < limit)
        case .sentimentAbove(let limit):
            guard let sentiment = facts.sentiment else { return result("no sentiment on record", false) }
            return result("\(sentiment)", sentiment > limit)
        case .leadStatus(let statuses):
            return result(facts.leadStatus.rawValue, statuses.contains(facts.leadStatus))
        case .tier(let tiers):
            return result(facts.tier.rawValue, tiers.contains(facts.tier))
        case .lifecycle(let values):
            return result(facts.lifecycle.rawValue, values.contains(facts.lifecycle))
        case .renewalWithinDays(let days):
            guard let left = facts.renewalInDays else { return result("no renewal date", false) }
            return result(left < 0 ? "renewal passed \(-left) days ago" : "in \(left) days", left >= 0 && left <= days)
        case .engagementDropAtLeast(let percent):
            guard let drop = facts.engagementDrop else { return result("no inbound activity in the 30 days before", false) }
            return result(
                "\(facts.inboundPrior30) -> \(facts.inboundLast30) inbound (\(RuleFacts.percent(-drop)))", drop * 100 >= percent)
        case .linkClicked(let pattern):
            return clicks(facts.linkClicks, pattern, result)
        case .decisionMakerClicked(let pattern):
            return clicks(facts.linkClicks.filter(\.decisionMaker), pattern, result)
        case .eventPayload(let fields):
            let (found, passed) = payload(event, matches: fields)
            return result(found, passed)
        }
    }

    /// Whether one of `clicks` matches `pattern`, reporting the first that does (or how many there were).
    private static func clicks(
        _ clicks: [RuleFacts.LinkClick], _ pattern: LinkPattern, _ result: (String, Bool) -> RuleEvaluation.Condition
    ) -> RuleEvaluation.Condition {
        if let match = clicks.first(where: { pattern.matches($0.url) }) {
            return result("\(match.url) (campaign \(match.campaignID))", true)
        }
        return result(clicks.isEmpty ? "no click in \(CampaignTouch.windowDays) days" : "\(clicks.count) clicks, none matching", false)
    }

    /// Whether `event`'s payload holds what `rule`'s `event:` conditions ask, the only conditions that need no facts
    /// of the client: a rule that fails here cannot match, so its client's snapshot need not be read.
    public static func eventAllows(_ rule: Rule, _ event: RuleEvent) -> Bool {
        eventRefusal(rule, event) == nil
    }

    /// When `event`'s payload fails `rule`'s `event:` conditions, the evaluation of those conditions alone (the
    /// others need the client's facts, which are then not read): what the log records of the rule; nil when they hold.
    public static func eventRefusal(_ rule: Rule, _ event: RuleEvent) -> RuleEvaluation? {
        let conditions = rule.conditions.compactMap { condition -> RuleEvaluation.Condition? in
            guard case .eventPayload(let fields) = condition else { return nil }
            let (found, passed) = payload(event, matches: fields)
            return RuleEvaluation.Condition(field: condition.field, expected: condition.expected, actual: found, passed: passed)
        }
        guard conditions.contains(where: { !$0.passed }) else { return nil }
        return RuleEvaluation(rule: rule.name, matched: false, conditions: conditions, actions: [])
    }

    /// The payload's values of `fields`' keys (`key = value, ...`), and whether each is one of those asked for.
    private static func payload(_ event: RuleEvent, matches fields: [String: [String]]) -> (found: String, passed: Bool) {
        var found: [String] = []
        var passed = true
        for key in fields.keys.sorted() {
            let value = event.payload[key].map(text) ?? "absent"
            found.append("\(key) = \(value)")
            if !fields[key]!.contains(value) { passed = false }
        }
        return (found.joined(separator: ", "), passed)
    }

    /// The deal a `deal.stage-changed` event moved, in the stage it entered.
    private static func eventDeal(_ event: RuleEvent) -> RuleFacts.DealFact? {
        guard event.kind == EventKind.dealStageChanged.rawValue, let id = event.subjectID.flatMap({ Int64($0) }),
            let stage = event.payload["to"]?.stringValue.flatMap(DealStage.init(rawValue:))
        else { return nil }
        return RuleFacts.DealFact(id: id, stage: stage, daysInStage: 0)
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        case .null: "null"
        case .array, .object: "(structured)"
        }
    }
}
