/// Who is acting: the signed-in team member (`--user`, an API key's user), or nobody (a local,
/// single-user run). Every service method takes one, for attribution, audit and scoping.
///
/// A user may carry their access scope already read (the server reads it with the API key, once a request),
/// so the services a request calls do not read the user, their role and their team again.
public struct ActingUser: Sendable, Hashable {
    /// The user id, or nil for an anonymous local run.
    public var id: String?
    /// What the user may see, when it was read with the user (the server's key check, `APIKeyService.authenticate`);
    /// nil: `Runtime.scope(for:)` reads it when a service asks.
    public var scope: AccessScope?

    public init(_ id: String?, scope: AccessScope? = nil) {
        self.id = id
        self.scope = scope
    }

    /// Nobody in particular: a local run without `--user`.
    public static let anonymous = ActingUser(nil)
}
