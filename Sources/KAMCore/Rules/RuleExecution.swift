import Foundation

/// One logged execution of a rule for a client (`rule_executions`): what caused it, where it stood in its chain,
/// the conditions as evaluated, each action's outcome, and how long it took; or a rule that started and did not
/// match (`skipped`), with its conditions as evaluated and the ones that failed.
public struct RuleExecution: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Its conditions held and its actions ran.
        case fired
        /// Its conditions held but the chain stopped it (`stopReason`): no action ran.
        case stopped
        /// Its conditions held but it fired for this client within its `cooldown_days`: no action ran.
        case cooldown
        /// Its conditions did not hold: no action ran; `stopReason` names the conditions that failed
        /// (`failed: tier, health_below`). A compact record (no actions), pruned by the retention policy.
        case skipped
    }

    public var id: Int64
    public var rule: String
    /// `event:412`, or `schedule:health-recompute@2026-12-04T03:30:00Z`.
    public var cause: String
    public var eventID: Int64?
    public var clientID: String
    /// The chain's root event (nil for a scheduled run) and the depth of the event that fired the rule.
    public var chainRoot: Int64?
    public var chainDepth: Int
    public var status: Status
    public var stopReason: String?
    public var conditions: [RuleEvaluation.Condition]
    public var actions: [RuleActionOutcome]
    public var startedAt: Date
    public var durationMilliseconds: Double

    public init(
        id: Int64 = 0, rule: String, cause: String, eventID: Int64?, clientID: String, chainRoot: Int64?, chainDepth: Int,
        status: Status, stopReason: String? = nil, conditions: [RuleEvaluation.Condition], actions: [RuleActionOutcome] = [],
        startedAt: Date, durationMilliseconds: Double = 0
    ) {
        self.id = id
        self.rule = rule
        self.cause = cause
        self.eventID = eventID
        self.clientID = clientID
        self.chainRoot = chainRoot
        self.chainDepth = chainDepth
        self.status = status
        self.stopReason = stopReason
        self.conditions = conditions
        self.actions = actions
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case id, rule, cause, status, conditions, actions
        case eventID = "event_id", clientID = "client_id", chainRoot = "chain_root", chainDepth = "chain_depth"
        case stopReason = "stop_reason", startedAt = "started_at", durationMilliseconds = "duration_ms"
    }
}
