import Foundation

extension Draft {
    /// Approves the draft, with a person's edit when `edit` differs from the model's original.
    /// An edit saved earlier with `saveEdit` counts when `edit` is nil.
    public mutating func approve(edit: DraftContent? = nil, by user: String?, at now: Date) throws(DraftTransitionError) {
        let edit = edit ?? edited
        let changed = edit.map { $0 != original } ?? false
        let target: DraftStatus = changed ? .editedAndApproved : .approved
        try move(to: target, at: now)
        if let edit, changed {
            edited = edit
            editDistance =
                EditDistance.levenshtein(original.subject, edit.subject)
                + EditDistance.levenshtein(original.plainText, edit.plainText)
        } else {
            edited = nil
            editDistance = 0
        }
        decidedBy = user
        decidedAt = now
    }

    /// Keeps a person's edit on a pending draft; approving later turns it into edited-and-approved.
    public mutating func saveEdit(_ content: DraftContent, at now: Date) throws(DraftTransitionError) {
        guard status == .pending else {
            throw DraftTransitionError(draftID: id, current: status, requested: .editedAndApproved)
        }
        edited = content == original ? nil : content
        updatedAt = now
    }

    public mutating func reject(reason: String, by user: String?, at now: Date) throws(DraftTransitionError) {
        try move(to: .rejected, at: now)
        rejectReason = reason
        decidedBy = user
        decidedAt = now
    }

    /// Records that a person sent the approved text themselves.
    public mutating func markSent(at now: Date) throws(DraftTransitionError) {
        try move(to: .sent, at: now)
        sentAt = now
    }

    private mutating func move(to target: DraftStatus, at now: Date) throws(DraftTransitionError) {
        guard status.allowedNext.contains(target) else {
            throw DraftTransitionError(draftID: id, current: status, requested: target)
        }
        status = target
        updatedAt = now
    }
}
