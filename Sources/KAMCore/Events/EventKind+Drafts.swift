extension EventKind {
    /// The event of a draft's change from `before` to `after` by `action`: approved or rejected (from pending), sent
    /// (marked sent), or edited (its text saved, still pending); nil for a change that is none of these. Every draft
    /// store appends it with the change, so a subscriber sees the same events whichever store KAM uses.
    public static func draftChange(from before: DraftStatus, to after: DraftStatus, action: String) -> EventKind? {
        switch (before, after) {
        case (.pending, .approved), (.pending, .editedAndApproved): return .draftApproved
        case (.pending, .rejected): return .draftRejected
        case (_, .sent) where before != .sent: return .draftSent
        case (.pending, .pending) where action == "edit": return .draftEdited
        default: return nil
        }
    }
}
