extension ExperimentDraftOutcome {
    /// The outcome of `draft`, made under an experiment, with the thumbs its feedback gave: approved as generated
    /// (no edit, or an edit of distance 0), approved after edits, rejected, or still pending. Both stores read
    /// outcomes so (`ExperimentStoring.outcomes`).
    public init(draft: Draft, thumbsUp: Int, thumbsDown: Int) {
        let decision: Decision =
            switch draft.status {
            case .approved: .approvedUnedited
            case .editedAndApproved: (draft.editDistance ?? 1) == 0 ? .approvedUnedited : .approvedEdited
            case .sent: (draft.edited == nil || draft.editDistance == 0) ? .approvedUnedited : .approvedEdited
            case .rejected: .rejected
            case .pending: .pending
            }
        self.init(
            variant: draft.variant ?? "", clientID: draft.clientID, decision: decision, editDistance: draft.editDistance,
            thumbsUp: thumbsUp, thumbsDown: thumbsDown)
    }
}
