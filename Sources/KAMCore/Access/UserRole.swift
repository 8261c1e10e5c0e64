/// What a user may see and change on the team server.
///
/// A member works on the clients they own (and the drafts they made); a manager on everything of their team's
/// members; an admin on everything.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable {
    case member, manager, admin
}
