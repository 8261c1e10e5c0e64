import KAMCore
import KAMStore

/// What an acting user may see and change: everything (an admin, or a local run without `--user`), their
/// team's (a manager: clients owned by and drafts made by the team's members), or their own (a member).
///
/// A record outside the scope is reported exactly as a missing one (`client.not-found`, 404 over HTTP, never
/// 403), so nobody learns that a record they may not see exists.
///
/// For example:
/// ```swift
/// let scope = try runtime.scope(for: ActingUser("ana"))
/// try scope.requireClient(client)                       // throws client.not-found when ana may not see it
/// let mine = scope.filter(clients, ownerID: \.ownerID)  // only ana's clients
/// ```
public struct AccessScope: Sendable, Hashable {
    public enum Reach: Sendable, Hashable {
        /// Every record: an admin, or an anonymous local run.
        case everything
        /// The records of a team's members (a manager); `memberIDs` includes the manager.
        case team(String, memberIDs: Set<String>)
        /// The records of one user (a member, or a user id with no users row).
        case own(String)
    }

    public var reach: Reach

    public init(reach: Reach) {
        self.reach = reach
    }

    /// The scope of an admin or a local run.
    public static let everything = AccessScope(reach: .everything)

    /// The scope of the user a membership describes: everything for an admin, their team's for a manager with a
    /// team, their own otherwise; a name with no users row (`membership` nil) reaches its own records only.
    public init(of membership: UserMembership?, named name: String) {
        guard let membership else {
            self.init(reach: .own(name))
            return
        }
        let account = membership.account
        switch account.role {
        case .admin:
            self.init(reach: .everything)
        case .manager:
            guard let team = account.team else {
                self.init(reach: .own(account.id))
                return
            }
            self.init(reach: .team(team, memberIDs: membership.teamMemberIDs.union([account.id])))
        case .member:
            self.init(reach: .own(account.id))
        }
    }

    /// The users whose clients and drafts are in scope; nil when everything is.
    public var userIDs: Set<String>? {
        switch reach {
        case .everything: nil
        case .team(_, let members): members
        case .own(let id): [id]
        }
    }

    /// Whether every record is in scope (no filter to apply).
    public var isEverything: Bool { userIDs == nil }

    /// Whether a client owned by `ownerID` is in scope. A client without an owner is only an admin's.
    public func coversClient(ownerID: String?) -> Bool {
        guard let users = userIDs else { return true }
        guard let ownerID else { return false }
        return users.contains(ownerID)
    }

    /// Whether a draft made by `createdBy` for a client owned by `clientOwnerID` is in scope: a member's when
    /// they made it or own its client, a manager's when one of their team's members did.
    public func coversDraft(createdBy: String?, clientOwnerID: String?) -> Bool {
        guard let users = userIDs else { return true }
        if let createdBy, users.contains(createdBy) { return true }
        return coversClient(ownerID: clientOwnerID)
    }

    /// Refuses a client outside the scope with the error a missing one gets.
    /// - Throws: `RuntimeError` `.notFound` `client.not-found`.
    public func requireClient(_ client: Client) throws {
        guard coversClient(ownerID: client.ownerID) else { throw Self.clientNotFound(client.id) }
    }

    /// The items whose client owner is in scope, in their order.
    public func filter<Item>(_ items: [Item], ownerID: (Item) -> String?) -> [Item] {
        guard !isEverything else { return items }
        return items.filter { coversClient(ownerID: ownerID($0)) }
    }

    /// The clients in scope, in their order.
    public func filter(_ clients: [Client]) -> [Client] {
        filter(clients, ownerID: \.ownerID)
    }

    /// The error of a client id that names nothing the caller may see: the same whether it exists or not.
    public static func clientNotFound(_ clientID: String) -> RuntimeError {
        RuntimeError(.notFound, code: "client.not-found", "no client has id '\(clientID)'")
    }
}
