/// Who is acting: the signed-in team member (`--user`, an API key's user), or nobody (a local,
/// single-user run). Every service method takes one, for attribution, audit and (later) scoping.
public struct ActingUser: Sendable, Hashable {
    /// The user id, or nil for an anonymous local run.
    public var id: String?

    public init(_ id: String?) {
        self.id = id
    }

    /// Nobody in particular: a local run without `--user`.
    public static let anonymous = ActingUser(nil)
}
