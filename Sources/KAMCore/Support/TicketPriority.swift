/// A ticket's priority as the help desk set it.
public enum TicketPriority: String, Codable, Sendable, CaseIterable, Comparable {
    case low, normal, high, urgent

    /// A help desk's priority word (`Low`, `medium`, `critical`...), nil when it is none of them.
    public init?(helpDesk text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "low": self = .low
        case "normal", "medium", "": self = .normal
        case "high": self = .high
        case "urgent", "critical": self = .urgent
        default: return nil
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
