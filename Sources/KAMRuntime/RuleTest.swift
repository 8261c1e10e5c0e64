import KAMCore
import KAMStore

/// What `kam rules test` shows: the rule, whether the event starts it, the conditions as evaluated and the actions
/// it would take; the logged execution when it was run for real (not `--dry-run`).
public struct RuleTest: Codable, Sendable {
    public var rule: String
    public var trigger: String
    /// Whether the event is one the rule starts on (a test evaluates the conditions either way).
    public var triggered: Bool
    public var evaluation: RuleEvaluation
    public var execution: RuleExecution?

    public init(rule: String, trigger: String, triggered: Bool, evaluation: RuleEvaluation, execution: RuleExecution? = nil) {
        self.rule = rule
        self.trigger = trigger
        self.triggered = triggered
        self.evaluation = evaluation
        self.execution = execution
    }
}
