/// Who a rule's notification or task is for: the client's owner, the owner's manager (a manager of the owner's
/// team), everyone of the owner's team, or a user by id.
public enum RuleRecipient: Sendable, Hashable, Codable {
    case owner, manager, team
    case user(String)

    /// `owner`, `manager`, `team` or `user:maria`.
    public var summary: String {
        switch self {
        case .owner: "owner"
        case .manager: "manager"
        case .team: "team"
        case .user(let id): "user:\(id)"
        }
    }

    /// Reads `owner`, `manager`, `team`, or any other word as a user id.
    public init(_ text: String) {
        switch text {
        case "owner": self = .owner
        case "manager": self = .manager
        case "team": self = .team
        default: self = .user(text.hasPrefix("user:") ? String(text.dropFirst(5)) : text)
        }
    }
}
