/// One rule of the rules engine (`rules/*.yaml`, kam.yaml's `workflows:`, or the shipped defaults): `on` an event
/// kind or a schedule, `when` every condition holds over the event and the client, `do` the actions in order.
/// Pure data: `RuleEvaluator` decides, the runtime's `RuleEngine` executes, and nothing is ever sent.
///
/// ```yaml
/// rules:
///   - name: health-intervention
///     on: [health.changed]
///     when: {health_below: 60}
///     do:
///       - notify: owner
///         title: "{client}: health {health}"
///       - task: "Check in with {client}"
///         due_in_days: 2
/// ```
public struct Rule: Sendable, Hashable, Codable {
    /// Unique among the rules in effect; a rule of the working folder or kam.yaml replaces a shipped one of the
    /// same name.
    public var name: String
    public var description: String
    public var trigger: RuleTrigger
    /// All must hold (an empty list always does).
    public var conditions: [RuleCondition]
    public var actions: [RuleAction]
    /// `enabled: false` turns a rule (a shipped one, by its name) off.
    public var enabled: Bool
    /// `cooldown_days: 7`: after firing for a client, the rule does not fire for it again for this many days (its
    /// matches are logged as `cooldown`); 0 lets it fire on every matching event.
    public var cooldownDays: Int
    /// Where it was written: `rules/alerts.yaml:12:5`, `kam.yaml:40:5`, `<shipped>:8:5`.
    public var source: String

    public init(
        name: String, description: String = "", trigger: RuleTrigger, conditions: [RuleCondition] = [],
        actions: [RuleAction], enabled: Bool = true, cooldownDays: Int = 0, source: String = ""
    ) {
        self.name = name
        self.description = description
        self.trigger = trigger
        self.conditions = conditions
        self.actions = actions
        self.enabled = enabled
        self.cooldownDays = cooldownDays
        self.source = source
    }

    /// Whether an action writes a draft through the model (`draft`), a call not to make for an execution that will
    /// not fire.
    public var writesDrafts: Bool {
        actions.contains { if case .draft = $0 { true } else { false } }
    }

    /// Whether an action picks the client's owner (`assign_owner`), which depends on who owns what so far.
    public var assignsOwners: Bool {
        actions.contains { if case .assignOwner = $0 { true } else { false } }
    }
}
