/// A user's account and, for a manager with a team, the ids of that team's users (the manager's own included):
/// everything an access scope is made of, read in one transaction.
public struct UserMembership: Sendable, Hashable {
    public var account: UserAccount
    /// The team's user ids when the account is a manager with a team; empty otherwise.
    public var teamMemberIDs: Set<String>

    public init(account: UserAccount, teamMemberIDs: Set<String> = []) {
        self.account = account
        self.teamMemberIDs = teamMemberIDs
    }

    /// Whether the account's team must be read to complete the membership: a manager with a team sees its members.
    public var needsTeam: Bool { account.role == .manager && account.team != nil }
}
