import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// The server's one read a request: a key, its user and the user's access scope together, and services that use
/// the scope a user carries instead of reading it again.
@Suite struct APIKeyAuthenticationTests {
    @Test func aKeyComesWithItsUsersScope() async throws {
        let world = try await CRMTestWorld.demo()
        let runtime = world.runtime
        for user in ["maria", "tom", "leo", "aisha", "ines"] {
            let key = try runtime.apiKeys.create(for: user, as: .anonymous).plaintext
            guard case .valid(let found, let acting) = try runtime.apiKeys.authenticate(key) else {
                Issue.record("\(user)'s key did not verify")
                continue
            }
            #expect(found.userID == user)
            #expect(acting.id == user)
            // The scope read with the key is the one read apart.
            #expect(acting.scope == (try runtime.scope(for: ActingUser(user))), "\(user)")
        }
        let tom = try runtime.apiKeys.create(for: "tom", as: .anonymous).plaintext
        guard case .valid(_, let manager) = try runtime.apiKeys.authenticate(tom),
            case .team(let team, let members)? = manager.scope?.reach
        else {
            Issue.record("tom is a manager with a team")
            return
        }
        #expect(team == "enterprise")
        #expect(members.isSuperset(of: ["tom", "leo", "nina"]) && !members.contains("sven"))
        let maria = try runtime.apiKeys.create(for: "maria", as: .anonymous).plaintext
        guard case .valid(_, let admin) = try runtime.apiKeys.authenticate(maria) else {
            Issue.record("maria's key did not verify")
            return
        }
        #expect(admin.scope == AccessScope.everything)
    }

    @Test func unknownRevokedAndDisabledKeysAreInvalid() async throws {
        let world = try await CRMTestWorld.demo()
        let keys = world.runtime.apiKeys
        #expect(try keys.authenticate("kam_0123456789abcdef0123456789abcdef") == .invalid)
        #expect(try keys.authenticate("not-a-kam-key") == .invalid)
        let revoked = try keys.create(for: "leo", as: .anonymous)
        try keys.revoke(revoked.key.id, as: .anonymous)
        #expect(try keys.authenticate(revoked.plaintext) == .invalid)
        let disabled = try keys.create(for: "nina", as: .anonymous)
        try UserRepository(store: world.runtime.sqliteStore!).disable(id: "nina", now: world.now)
        #expect(try keys.authenticate(disabled.plaintext) == .invalid)
    }

    @Test func aUserCarryingAScopeIsScopedByIt() async throws {
        let world = try await CRMTestWorld.demo()
        let clients = world.runtime.clients
        #expect(try clients.list(as: ActingUser("leo")).map(\.id) == ["initech"])
        // The scope a user carries is the one used: the services do not read the user again.
        #expect(try clients.list(as: ActingUser("leo", scope: .everything)).count == 8)
        #expect(try clients.list(as: ActingUser("maria", scope: AccessScope(reach: .own("leo")))).map(\.id) == ["initech"])
        let context = try world.runtime.context(clientID: "initech", budget: nil, as: ActingUser("leo"))
        #expect(context.clientID == "initech")
        #expect(throws: RuntimeError.self) { try world.runtime.context(clientID: "acme", budget: nil, as: ActingUser("leo")) }
        #expect(throws: RuntimeError.self) { try world.runtime.context(clientID: "nobody", budget: nil, as: .anonymous) }
    }
}
