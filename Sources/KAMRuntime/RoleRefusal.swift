/// The acting user's role does not allow the request (a member asking for analytics, a manager moving a
/// prompt label). Unlike a record outside the scope (404, never revealed), a role-gated route is public
/// knowledge, so the refusal says which role it needs: the server answers 403 `auth.role`.
public struct RoleRefusal: Error, Sendable, CustomStringConvertible {
    public let code = "auth.role"
    public var userID: String
    /// The user's role (`member`, `manager`).
    public var role: String
    /// What the request needs, as a phrase (`the admin role`).
    public var needed: String
    /// What was asked (`analytics`, `moving a prompt label`).
    public var action: String

    public init(userID: String, role: String, needed: String, for action: String) {
        self.userID = userID
        self.role = role
        self.needed = needed
        self.action = action
    }

    public var message: String {
        "\(action) needs \(needed) and user '\(userID)' is a \(role); ask an admin for the role (`kam users`)"
    }

    public var description: String { message }
}
