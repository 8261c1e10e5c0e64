/// Where a ticket stands, with the help desks' usual names (Zendesk's six).
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case new, open, pending, hold, solved, closed

    public var isOpen: Bool {
        switch self {
        case .new, .open, .pending, .hold: true
        case .solved, .closed: false
        }
    }

    /// A help desk's status word (`Open`, `on-hold`, `resolved`...), nil when it is none of them.
    public init?(helpDesk text: String) {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        switch word {
        case "new": self = .new
        case "open", "in progress", "in-progress", "reopened": self = .open
        case "pending", "waiting", "awaiting reply": self = .pending
        case "hold", "on-hold", "on hold": self = .hold
        case "solved", "resolved": self = .solved
        case "closed": self = .closed
        default: return nil
        }
    }
}
