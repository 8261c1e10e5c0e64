import Foundation

/// A draft people rated low: given a thumbs down, rejected, or approved only after a heavy edit. What a prompt's
/// author reads before revising it (`kam feedback list --low`, `GET /feedback/low`, the web page's prompt view).
public struct LowRatedOutput: Codable, Sendable, Hashable {
    /// Why the draft counts as low-rated; one draft can carry several.
    public enum Signal: String, Codable, Sendable, Hashable, CaseIterable {
        case thumbsDown = "thumbs-down"
        case rejected
        case heavyEdit = "heavy-edit"
    }

    public var draftID: String
    public var clientID: String
    public var kind: DraftKind
    public var promptID: String
    public var promptVersion: String
    public var signals: [Signal]
    /// The rejection's reason, then each thumbs-down reason, as people wrote them.
    public var reasons: [String]
    /// Edit distance over the longer of the model's and the person's text (0 unchanged, 1 rewritten); nil
    /// unless the draft was approved with an edit.
    public var editRatio: Double?
    /// When it was decided (approved or rejected), else when it was written.
    public var at: Date

    /// The share of a draft's text a person must have changed before its approval counts as a heavy edit,
    /// unless configured otherwise.
    public static let defaultHeavyEditRatio = 0.3

    /// `draft` as a low-rated output given its `feedback`, or nil when nothing about it is low.
    public init?(draft: Draft, feedback: [(rating: FeedbackRating, reason: String?)], heavyEditRatio: Double) {
        var signals: [Signal] = []
        var reasons: [String] = []
        let downs = feedback.filter { $0.rating == .down }
        if !downs.isEmpty { signals.append(.thumbsDown) }
        if draft.status == .rejected {
            signals.append(.rejected)
            if let reason = draft.rejectReason, !reason.isEmpty { reasons.append(reason) }
        }
        reasons += downs.compactMap { $0.reason }.filter { !$0.isEmpty }
        var ratio: Double?
        if let edited = draft.edited, let distance = draft.editDistance, draft.status != .pending, draft.status != .rejected {
            let length = { (content: DraftContent) in
                content.subject.unicodeScalars.count + content.plainText.unicodeScalars.count
            }
            let longest = max(length(draft.original), length(edited))
            ratio = longest == 0 ? 0 : Double(distance) / Double(longest)
            if let ratio, ratio >= heavyEditRatio { signals.append(.heavyEdit) }
        }
        guard !signals.isEmpty else { return nil }
        self.draftID = draft.id
        self.clientID = draft.clientID
        self.kind = draft.kind
        self.promptID = draft.promptID
        self.promptVersion = draft.promptVersion
        self.signals = signals
        self.reasons = reasons
        self.editRatio = ratio
        self.at = draft.decidedAt ?? draft.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case draftID = "draft_id"
        case clientID = "client_id"
        case kind
        case promptID = "prompt_id"
        case promptVersion = "prompt_version"
        case signals, reasons
        case editRatio = "edit_ratio"
        case at
    }
}
