/// One action of a rule execution and what became of it, as logged in `rule_executions.actions`.
public struct RuleActionOutcome: Codable, Sendable, Hashable {
    /// The action as a person reads it (`RuleAction.summary`, its texts filled in).
    public var action: String
    /// `done`, `skipped` (nothing to do: a duplicate, no such recipient) or `failed` (the write was refused; the
    /// execution's other actions stand).
    public var outcome: String
    /// What was written or why not: `task 57 for maria`, `a pending intervention suggestion exists`.
    public var detail: String

    public init(action: String, outcome: String, detail: String) {
        self.action = action
        self.outcome = outcome
        self.detail = detail
    }
}

extension RuleActionOutcome {
    /// Outcomes as the rules' log stores them (`rule_executions.actions`): a JSON array of objects with `action`,
    /// `detail` and `outcome`, which `JSONDecoder` reads back, written by KAM's own JSON writer (`JSONValue`).
    public static func jsonText(_ outcomes: [Self]) -> String {
        JSONValue.array(
            outcomes.map {
                .object(["action": .string($0.action), "outcome": .string($0.outcome), "detail": .string($0.detail)])
            }
        ).compactJSONText
    }
}
