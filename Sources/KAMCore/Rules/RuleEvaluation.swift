/// What `RuleEvaluator` found for one rule, event and client: each condition with the value it read, whether
/// all held, and the actions to take (their texts filled in), empty when they did not.
public struct RuleEvaluation: Sendable, Hashable, Codable {
    /// One condition as evaluated: `health_below` expected `< 60`, actual `58`, passed.
    public struct Condition: Sendable, Hashable, Codable {
        public var field: String
        public var expected: String
        public var actual: String
        public var passed: Bool

        public init(field: String, expected: String, actual: String, passed: Bool) {
            self.field = field
            self.expected = expected
            self.actual = actual
            self.passed = passed
        }
    }

    public var rule: String
    public var matched: Bool
    public var conditions: [Condition]
    public var actions: [RuleAction]

    public init(rule: String, matched: Bool, conditions: [Condition], actions: [RuleAction]) {
        self.rule = rule
        self.matched = matched
        self.conditions = conditions
        self.actions = actions
    }

    /// The conditions that did not hold, as the log of a rule that did not match names them: `failed: tier, health_below`.
    public var failures: String {
        "failed: " + conditions.filter { !$0.passed }.map(\.field).joined(separator: ", ")
    }

    /// `health_below 58 (< 60) yes; tier standard (one of enterprise) no`.
    public var explanation: String {
        guard !conditions.isEmpty else { return "no conditions" }
        return conditions.map { "\($0.field) \($0.actual) (\($0.expected)) \($0.passed ? "yes" : "no")" }
            .joined(separator: "; ")
    }
}

extension RuleEvaluation.Condition {
    /// Conditions as the rules' log stores them (`rule_executions.conditions`): a JSON array of objects with `actual`,
    /// `expected`, `field` and `passed`, which `JSONDecoder` reads back as `[Condition]`. Written by KAM's own JSON
    /// writer (`JSONValue`), as event payloads are: every rule that starts on an event logs its conditions, and
    /// Foundation's `JSONEncoder` was the largest cost of recording them.
    public static func jsonText(_ conditions: [Self]) -> String {
        "["
            + conditions.map { condition in
                JSONValue.compactObjectText([
                    ("actual", .string(condition.actual)), ("expected", .string(condition.expected)),
                    ("field", .string(condition.field)), ("passed", .bool(condition.passed)),
                ])
            }.joined(separator: ",") + "]"
    }
}
