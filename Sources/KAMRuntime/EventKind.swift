/// What the runtime tells the outside about, through outbound webhooks (`kam webhooks add URL --events ...`).
public enum EventKind: String, Codable, Sendable, CaseIterable {
    case draftCreated = "draft.created"
    case draftApproved = "draft.approved"
    case suggestionCreated = "suggestion.created"
    case healthChanged = "health.changed"
    case emailUnmatched = "email.unmatched"
    case jobFailed = "job.failed"
}
