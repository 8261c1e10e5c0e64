/// The kinds of outbound message KAM drafts, each backed by its own prompt.
public enum DraftKind: String, Codable, Sendable, CaseIterable {
    case followUp = "follow-up"
    case checkIn = "check-in"
    case dealUpdate = "deal-update"
    case taskReminder = "task-reminder"
    case acknowledgment
    /// A suggested reply to a support ticket.
    case supportReply = "support-reply"

    /// The prompt id that writes this kind of draft.
    public var promptID: String {
        switch self {
        case .followUp: "draft.follow-up-email"
        case .checkIn: "draft.check-in"
        case .dealUpdate: "draft.deal-update"
        case .taskReminder: "draft.task-reminder"
        case .acknowledgment: "draft.follow-up-email"
        case .supportReply: "draft.support-reply"
        }
    }
}
