import HTTPTypes
import KAMStore

@testable import KAMServer

extension RouteTestWorld {
    /// The `Authorization` header of a new key for leo, a demo member who owns initech only (not maria's acme,
    /// not tom's globex): the out-of-scope requests of the route tests (maria is an admin and sees everything).
    func memberAuth() throws -> HTTPFields {
        let key = try APIKeyRepository(store: store).create(userID: "leo", now: Self.now).plaintext
        return [.authorization: "Bearer \(key)"]
    }
}
