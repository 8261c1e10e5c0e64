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
