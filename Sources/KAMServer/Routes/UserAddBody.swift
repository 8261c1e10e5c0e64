import Foundation
import KAMRuntime
import KAMCore
import KAMStore

/// Body of `POST /users`: what `kam users add` takes. The id and the email are taken as written (the document's
/// patterns, no white space around them); the service checks the rest (the team exists, a manager has one, the zone).
struct UserAddBody: Decodable, Sendable {
    var id: String
    var name: String
    var email: String
    var team: String?
    var role: UserRole?
    var timeZone: String?

    enum CodingKeys: String, CodingKey {
        case id, name, email, team, role
        case timeZone = "time_zone"
    }

    /// The user to add.
    /// - Throws: `APIError` 400 (`request.id`, `request.email`) for an id or email with white space around it.
    func newUser() throws -> UserService.NewUser {
        for (field, value) in [("id", id), ("email", email)] where value != value.trimmingCharacters(in: .whitespacesAndNewlines) {
            throw APIError(
                .badRequest, code: "request.\(field)", message: "\(field) '\(value)' has white space around it; send it without")
        }
        return UserService.NewUser(id: id, name: name, email: email, team: team, role: role ?? .member, timeZone: timeZone)
    }
}
