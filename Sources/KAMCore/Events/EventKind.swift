/// The kinds of domain event the store appends to `events` in the same transaction as the write they describe
/// (`DomainEvent` builds each one's payload). Consumers (the outbound webhooks, later the rules) read them in order;
/// `docs/events.md` lists each kind's payload.
public enum EventKind: String, Codable, Sendable, CaseIterable {
    case clientCreated = "client.created"
    case contactCreated = "contact.created"
    case activityLogged = "activity.logged"
    case emailIngested = "email.ingested"
    case emailUnmatched = "email.unmatched"
    case healthChanged = "health.changed"
    case dealStageChanged = "deal.stage-changed"
    case taskCreated = "task.created"
    case taskStatusChanged = "task.status-changed"
    case taskOverdue = "task.overdue"
    case leadStatusChanged = "lead.status-changed"
    case suggestionCreated = "suggestion.created"
    case suggestionAccepted = "suggestion.accepted"
    case suggestionDismissed = "suggestion.dismissed"
    case suggestionSnoozed = "suggestion.snoozed"
    case suggestionReopened = "suggestion.reopened"
    case suggestionResolved = "suggestion.resolved"
    case suggestionExpired = "suggestion.expired"
    case draftCreated = "draft.created"
    case draftApproved = "draft.approved"
    case draftRejected = "draft.rejected"
    case jobFailed = "job.failed"
    case planStored = "plan.stored"
    case planItemDone = "plan.item-done"
}
