import KAMCore
import KAMStore

/// Three users of known roles added to a demo store, for tests of what each role may see and do whatever roles
/// the demo itself hands out: an admin, a manager of the demo's enterprise team (maria's and tom's), and a member
/// of the growth team who owns no client.
public enum RoleTestUsers {
    public static let admin = "rq-admin"
    public static let manager = "rq-manager"
    public static let member = "rq-member"

    /// Adds the three users to `store` (which must not have them yet).
    public static func add(to store: ClientStore) throws {
        let users = UserRepository(store: store)
        try users.add(UserAccount(id: admin, name: "Ada Admin", email: "rq-admin@kam.example", role: .admin))
        try users.add(
            UserAccount(id: manager, name: "Max Manager", email: "rq-manager@kam.example", team: "enterprise", role: .manager))
        try users.add(UserAccount(id: member, name: "Zoe Member", email: "rq-member@kam.example", team: "growth"))
    }
}
