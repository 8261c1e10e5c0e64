import Foundation

/// A user as the team server sees them: who they are, their team, their role and whether they are disabled.
public struct UserAccount: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var email: String
    public var team: String?
    public var role: UserRole
    /// The user's IANA time zone (`Europe/Berlin`): their daily review runs at 08:00 there. Nil is the configured
    /// zone (kam.yaml's `jobs.time_zone`).
    public var timeZone: String?
    /// When `kam users disable` stopped the user; their keys stop working at once.
    public var disabledAt: Date?

    public init(
        id: String, name: String, email: String, team: String? = nil, role: UserRole = .member, timeZone: String? = nil,
        disabledAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.team = team
        self.role = role
        self.timeZone = timeZone
        self.disabledAt = disabledAt
    }

    public var isDisabled: Bool { disabledAt != nil }

    /// The user without their server-only fields.
    public var user: User { User(id: id, name: name, email: email, team: team) }
}
