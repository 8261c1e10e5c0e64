/// What starts a rule: events of some kinds (`on: [health.changed, deal.stage-changed]`), or a scheduled job's run
/// (`on: {schedule: health-recompute}`), after which the rule is evaluated once for every client.
public enum RuleTrigger: Sendable, Hashable, Codable {
    case events([EventKind])
    case schedule(JobKind)

    /// Whether an event of `kind` starts the rule.
    public func matches(kind: String) -> Bool {
        guard case .events(let kinds) = self else { return false }
        return kinds.contains { $0.rawValue == kind }
    }

    /// `health.changed, deal.stage-changed` or `schedule health-recompute`.
    public var summary: String {
        switch self {
        case .events(let kinds): kinds.map(\.rawValue).joined(separator: ", ")
        case .schedule(let job): "schedule \(job.rawValue)"
        }
    }
}
