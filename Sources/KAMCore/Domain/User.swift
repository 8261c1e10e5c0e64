import Foundation

/// A person who uses KAM: an account manager, with the team they belong to.
public struct User: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var email: String
    public var team: String?

    public init(id: String, name: String, email: String, team: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.team = team
    }
}
