import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// Who may administer users, teams and keys: an admin or a local run; users make and revoke their own keys.
/// The demo's maria is an admin, tom manages the enterprise team (leo's), leo is a member.
@Suite struct AccessAdministrationTests {
    @Test func keysAreTheirUsersOwnUnlessAnAdminActs() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let keys = runtime.apiKeys
        #expect(throws: RoleRefusal.self) { try keys.create(for: "tom", as: ActingUser("leo")) }
        #expect(throws: RoleRefusal.self) { try keys.create(for: "leo", as: ActingUser("tom")) }
        let own = try keys.create(for: "leo", as: ActingUser("leo"))
        let made = try keys.create(for: "leo", as: ActingUser("maria"))
        let local = try keys.create(for: "leo", as: .anonymous)
        #expect(Set([own.key.userID, made.key.userID, local.key.userID]) == ["leo"])

        // Another user's key is reported as missing, even to the user's manager.
        #expect { try keys.revoke(own.key.id, as: ActingUser("tom")) } throws: { error in
            (error as? RuntimeError)?.code == "auth.key-not-found"
        }
        try keys.revoke(own.key.id, as: ActingUser("leo"))
        try keys.revoke(made.key.id, as: ActingUser("maria"))
        try keys.revoke(local.key.id, as: .anonymous)
        #expect(try keys.list(userID: "leo").allSatisfy { $0.revokedAt != nil })
    }

    @Test func onlyAnAdminOrALocalRunAddsAndDisablesUsersAndTeams() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let new = UserService.NewUser(id: "zed", name: "Zed", email: "zed@kam.example")
        for (user, role) in [("leo", "member"), ("tom", "manager")] {
            #expect { try runtime.users.add(new, as: ActingUser(user)) } throws: { error in
                (error as? RoleRefusal)?.role == role && (error as? RoleRefusal)?.action == "adding a user"
            }
            #expect(throws: RoleRefusal.self) { try runtime.users.disable("leo", as: ActingUser(user)) }
            #expect(throws: RoleRefusal.self) { try runtime.teams.add(id: "west", name: "West", as: ActingUser(user)) }
        }
        #expect(try runtime.users.list().contains { $0.id == "zed" } == false)
        #expect(try runtime.users.account("leo").isDisabled == false)

        try runtime.users.add(new, as: ActingUser("maria"))
        try runtime.teams.add(id: "west", name: "West", as: .anonymous)
        #expect(try runtime.users.disable("zed", as: ActingUser("maria")).isDisabled)
        #expect(try runtime.teams.list().contains { $0.id == "west" })
    }
}
