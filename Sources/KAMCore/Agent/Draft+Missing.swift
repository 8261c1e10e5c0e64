extension Draft {
    /// What every draft store says when no draft has `id`, and what to do.
    public static func missingMessage(id: String) -> String {
        "no draft has id '\(id)'; `kam draft list` shows the drafts"
    }
}
