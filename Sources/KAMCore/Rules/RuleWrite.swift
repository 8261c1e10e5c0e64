/// One write a rule's action makes, decided by the runtime (who, what, with which ids) and made by
/// `RuleExecutionRepository.record` inside the execution's transaction.
public enum RuleWrite: Sendable, Hashable {
    /// A pending suggestion (skipped when it duplicates a pending one).
    case suggestion(Suggestion)
    /// A pending draft the model wrote before the execution's transaction (a `draft` action), stored in it.
    case draft(Draft)
    /// A draft the model did not write (`reason`: the call failed, a budget refused it): the suggestion that proposes
    /// it instead, stored, and the action logged as failed with the reason.
    case draftFallback(reason: String, suggestion: Suggestion)
    case task(ClientTask)
    /// A notification in `userID`'s inbox.
    case notification(userID: String, title: String, body: String)
    /// The client's lead status moved to this one (skipped when it already is).
    case leadStatus(LeadStatus)
    /// An item in `userID`'s latest stored daily plan (skipped when they have none).
    case planItem(userID: String, clientName: String, title: String, reason: String)
    /// A `rule.webhook` event named so.
    case webhook(name: String)
    /// The client's owner, when it has none.
    case assignOwner(userID: String)
    /// The client's pending enrichment proposals of `fields` with a confidence of `minConfidence` or more, accepted
    /// as decided by the rule (`rule:NAME`); skipped when there is none.
    case acceptEnrichment(fields: [LeadProposal.Field], minConfidence: Double)
    /// Nothing written: why (`no manager in team north`), or what was found (`lead score 62: ...`).
    case note(String, ok: Bool)
}
