extension RuleActionOutcome {
    /// Action `action`'s outcome of storing `suggestion`: done, or skipped when a pending one like it exists (`stored`
    /// false). Both stores log these words (`RuleExecutionRepository`, `PostgresRuleExecutionStore`).
    public static func suggestion(_ action: String, _ suggestion: Suggestion, stored: Bool) -> RuleActionOutcome {
        stored
            ? RuleActionOutcome(action: action, outcome: "done", detail: "suggestion \(suggestion.id)")
            : RuleActionOutcome(
                action: action, outcome: "skipped",
                detail: "a pending \(suggestion.type.rawValue) suggestion for \(suggestion.target) exists")
    }

    /// Action `action`'s outcome of storing the draft the model wrote.
    public static func draft(_ action: String, _ draft: Draft) -> RuleActionOutcome {
        RuleActionOutcome(
            action: action, outcome: "done", detail: "draft \(draft.id) pending (\(draft.kind.rawValue), \(draft.model))")
    }

    /// Action `action`'s outcome when the model wrote no draft (`reason`): failed, the suggestion that proposes it
    /// stored instead (or one like it already pending, `stored` false).
    public static func draftFallback(_ action: String, reason: String, _ suggestion: Suggestion, stored: Bool)
        -> RuleActionOutcome
    {
        RuleActionOutcome(
            action: action, outcome: "failed",
            detail: "no draft: \(reason); "
                + (stored
                    ? "suggestion \(suggestion.id) proposes it instead"
                    : "a pending \(suggestion.type.rawValue) suggestion for \(suggestion.target) proposes it"))
    }

    /// Action `action`'s outcome of accepting the pending enrichment proposals of `fields` with a confidence of
    /// `minimum` or more: the ones accepted, or skipped when there was none.
    public static func acceptedEnrichment(
        _ action: String, _ accepted: [LeadProposal], fields: [LeadProposal.Field], minimum: Double
    ) -> RuleActionOutcome {
        guard !accepted.isEmpty else {
            return RuleActionOutcome(
                action: action, outcome: "skipped",
                detail: "no pending proposal of \(fields.map(\.rawValue).joined(separator: ", ")) with confidence "
                    + "\(minimum) or more")
        }
        return RuleActionOutcome(
            action: action, outcome: "done",
            detail: "accepted "
                + accepted.map { "\($0.field.rawValue) (proposal \($0.id ?? 0), confidence \($0.confidence))" }
                .joined(separator: ", "))
    }
}
