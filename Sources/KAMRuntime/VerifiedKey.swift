import KAMCore
import KAMStore

/// A live key of an enabled user as `APIKeyService.authenticate` found it, kept in `Runtime.verifiedKeys` at the
/// store's data version it was read at (a revocation, a disabled user or a new role is a commit, which retires it);
/// its expiry is checked again on every use.
struct VerifiedKey: Sendable {
    var key: APIKey
    var user: ActingUser
}
