import Foundation
import KAMCore

/// The demo's teams and roles, so a person can try the server's isolation at once: maria is the admin,
/// tom manages the enterprise team (members leo and nina), aisha the growth team (members sven and ines),
/// and each member owns demo clients (leo initech, nina umbrella, sven hooli, ines soylent).
extension DemoSeeder {
    /// The demo teams: id and name.
    public static let teams: [(id: String, name: String)] = [("enterprise", "Enterprise accounts"), ("growth", "Growth accounts")]

    /// The demo users besides maria, tom and aisha: members of the two teams.
    public static let teamMembers: [UserAccount] = [
        UserAccount(id: "leo", name: "Leo Martin", email: "leo.martin@kam.example", team: "enterprise"),
        UserAccount(id: "nina", name: "Nina Berg", email: "nina.berg@kam.example", team: "enterprise"),
        UserAccount(id: "sven", name: "Sven Olsen", email: "sven.olsen@kam.example", team: "growth"),
        UserAccount(id: "ines", name: "Ines Duarte", email: "ines.duarte@kam.example", team: "growth"),
    ]

    /// Every demo user's role; anyone not named is a member.
    public static let roles: [String: UserRole] = ["maria": .admin, "tom": .manager, "aisha": .manager]

    /// Writes the demo teams (a team the store has already is left as it is) and roles, each with its event; running
    /// it twice changes nothing.
    static func seedRoles(into users: any UserStoring, now: Date) throws {
        let existing = Set(try users.teams().map(\.id))
        for team in teams where !existing.contains(team.id) {
            try users.addTeam(Team(id: team.id, name: team.name, createdAt: now))
        }
        for (id, role) in roles.sorted(by: { $0.key < $1.key }) {
            try users.setRole(id: id, role)
        }
    }
}
