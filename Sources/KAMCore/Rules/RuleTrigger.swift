/// What starts a rule: events of some kinds (`on: [health.changed, deal.stage-changed]`), or a scheduled job's run
/// (`on: {schedule: health-recompute}`), after which the rule is evaluated once for every client.
public enum RuleTrigger: Sendable, Hashable, Codable {
    case events([EventKind])
    case schedule(JobKind)

    /// Whether an event of `kind` may start the rule, before its payload is read: one of its kinds, or a CSV import's
    /// `client.imported` for a rule on a creation it can stand for (`matches(kind:payload:)` decides).
    public func matches(kind: String) -> Bool {
        guard case .events(let kinds) = self else { return false }
        return kinds.contains { $0.rawValue == kind }
            || (kind == EventKind.clientImported.rawValue && kinds.contains(where: DomainEvent.importSummarised.contains))
    }

    /// Whether the event starts the rule: an event of one of its kinds, or a `client.imported` standing for one of
    /// them (`DomainEvent.creations(summarisedBy:)`: a rule on `client.created` sees each client an import created, a
    /// rule on `contact.created` each client it created contacts for, once an import).
    public func matches(kind: String, payload: [String: JSONValue]) -> Bool {
        guard case .events(let kinds) = self else { return false }
        if kinds.contains(where: { $0.rawValue == kind }) { return true }
        guard kind == EventKind.clientImported.rawValue else { return false }
        let standsFor = DomainEvent.creations(summarisedBy: payload)
        return kinds.contains { standsFor.contains($0) }
    }

    /// `health.changed, deal.stage-changed` or `schedule health-recompute`.
    public var summary: String {
        switch self {
        case .events(let kinds): kinds.map(\.rawValue).joined(separator: ", ")
        case .schedule(let job): "schedule \(job.rawValue)"
        }
    }
}
