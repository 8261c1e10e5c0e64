import Foundation
import Testing

/// `kam teams add|list`, `kam users add|list|disable` and `kam keys create|list|revoke` as a team's admin uses
/// them: what each refuses and with which exit status, that a key is shown once and stored only as a hash, and
/// that only an admin (or a local run without `--user`) administers users.
@Suite("kam teams, users and keys end to end")
struct UsersTeamsKeysEndToEndTests {
    /// A workspace with team `east`, its manager `ana`, its member `bo`, and the admin `root`.
    static func team() async throws -> Workspace {
        let workspace = try Workspace()
        for arguments in [
            ["teams", "add", "east", "--name", "East"],
            ["users", "add", "root", "--name", "Root", "--email", "root@x.example", "--role", "admin"],
            ["users", "add", "ana", "--name", "Ana", "--email", "ana@x.example", "--team", "east", "--role", "manager"],
            ["users", "add", "bo", "--name", "Bo", "--email", "bo@x.example", "--team", "east"],
        ] {
            let result = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
            #expect(result.exitCode == 0, "\(result)")
        }
        return workspace
    }

    @Test("users and teams are listed with their roles; bad or taken ids, emails and teams are refused by name")
    func usersAndTeams() async throws {
        let workspace = try await Self.team()
        let users = try #require(try await workspace.kam("users", "list", "--json").jsonArray)
        #expect(users.map { $0["id"] as? String } == ["ana", "bo", "root"])
        #expect(users.first { $0["id"] as? String == "ana" }?["role"] as? String == "manager")
        #expect(users.first { $0["id"] as? String == "bo" }?["team"] as? String == "east")
        let teams = try await workspace.kam("teams", "list")
        #expect(teams.exitCode == 0 && teams.stdout.contains("east"), "\(teams)")

        let refusals: [([String], String)] = [
            (["users", "add", "bo", "--name", "Bo Two", "--email", "bo2@x.example"], "already has id 'bo'"),
            (["users", "add", "cy", "--name", "Cy", "--email", "ana@x.example"], "already belongs to user 'ana'"),
            (["users", "add", "Bad_Id", "--name", "X", "--email", "x@x.example"], "try 'bad-id'"),
            (["users", "add", "dee", "--name", "Dee", "--email", "dee@x.example", "--role", "manager"], "give --team"),
            (["users", "add", "eve", "--name", "Eve", "--email", "not-an-address"], "not an address"),
            (["users", "add", "fay", "--name", "Fay", "--email", "fay@x.example", "--team", "west"], "no team has id 'west'"),
            (["teams", "add", "east", "--name", "East again"], "east"),
        ]
        for (arguments, message) in refusals {
            let result = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
            #expect(result.exitCode != 0, "\(arguments) was accepted")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
        // Nothing refused was stored.
        #expect(try workspace.count("users") == 3)
        #expect(try workspace.count("teams") == 1)
    }

    @Test("only an admin or a local run administers users and teams; a member or manager gets exit 20 naming the role")
    func onlyAdminsAdminister() async throws {
        let workspace = try await Self.team()
        let attempts: [([String], String, String)] = [
            (["users", "add", "zed", "--name", "Zed", "--email", "zed@x.example", "--user", "bo"], "adding a user", "member"),
            (["users", "add", "zed", "--name", "Zed", "--email", "zed@x.example", "--user", "ana"], "adding a user", "manager"),
            (["users", "disable", "root", "--user", "bo"], "disabling a user", "member"),
            (["users", "disable", "bo", "--user", "ana"], "disabling a user", "manager"),
            (["teams", "add", "west", "--name", "West", "--user", "ana"], "adding a team", "manager"),
        ]
        for (arguments, action, role) in attempts {
            let result = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
            #expect(result.exitCode == 20, "\(arguments): \(result)")
            #expect(result.stderr.contains("\(action) needs the admin role"), "\(result)")
            #expect(result.stderr.contains("is a \(role)"), "\(result)")
        }
        #expect(try workspace.count("users") == 3)
        #expect(try workspace.count("users", where: "disabled_at IS NOT NULL") == 0)
        #expect(try workspace.count("teams") == 1)

        let admin = try await workspace.kam("users", "add", "zed", "--name", "Zed", "--email", "zed@x.example", "--user", "root")
        #expect(admin.exitCode == 0, "\(admin)")
        let disabled = try await workspace.kam("users", "disable", "zed", "--user", "root")
        #expect(disabled.exitCode == 0, "\(disabled)")
        #expect(try workspace.count("users", where: "id = 'zed' AND disabled_at IS NOT NULL") == 1)
    }

    @Test("a key is printed once and stored as a hash; it can be listed, revoked by its user, and dies with its user")
    func keys() async throws {
        let workspace = try await Self.team()
        let created = try await workspace.kam("keys", "create", "--user", "bo", "--expires-in", "30d", "--json")
        #expect(created.exitCode == 0, "\(created)")
        let object = try #require(created.jsonObject, "\(created)")
        let plaintext = try #require(object["plaintext"] as? String)
        let key = try #require(object["key"] as? [String: Any])
        let id = try #require(key["id"] as? String)
        #expect(plaintext.hasPrefix("kam_") && plaintext.count > 20)
        #expect(key["expiresAt"] != nil)
        // Only a hash is stored: no column of the row holds the key.
        let stored = try #require(try workspace.rows("SELECT * FROM api_keys WHERE id = '\(id)'").first)
        #expect(!stored.values.contains { $0.contains(plaintext.dropFirst(4)) }, "\(stored)")

        let listed = try await workspace.kam("keys", "list", "--user", "bo", "--json")
        #expect(listed.exitCode == 0, "\(listed)")
        #expect(!listed.stdout.contains(plaintext))
        #expect((listed.jsonArray ?? []).map { $0["id"] as? String } == [id])

        // Another user (even bo's manager) cannot revoke it: it is not theirs to see.
        let other = try await workspace.kam("keys", "revoke", id, "--user", "ana")
        #expect(other.exitCode == 4, "\(other)")
        #expect(try workspace.count("api_keys", where: "revoked_at IS NOT NULL") == 0)
        for bad in [["--expires-in", "3x"], ["--expires-in", "0d"]] {
            let result = try await KAMTool.run(
                ["keys", "create", "--user", "bo"] + bad + ["--db", workspace.database.path], in: workspace.directory)
            #expect(result.exitCode != 0 && result.stderr.contains("30d"), "\(bad): \(result)")
        }
        let nobody = try await workspace.kam("keys", "create")
        #expect(nobody.exitCode == 64 && nobody.stderr.contains("--user"), "\(nobody)")

        let revoked = try await workspace.kam("keys", "revoke", id, "--user", "bo")
        #expect(revoked.exitCode == 0, "\(revoked)")
        #expect(try workspace.count("api_keys", where: "id = '\(id)' AND revoked_at IS NOT NULL") == 1)
        let again = try await workspace.kam("keys", "revoke", id, "--user", "bo")
        #expect(again.exitCode == 4, "\(again)")

        // A disabled user gets no new key.
        _ = try await workspace.kam("users", "disable", "bo")
        let refused = try await workspace.kam("keys", "create", "--user", "bo")
        #expect(refused.exitCode == 12 && refused.stderr.contains("disabled"), "\(refused)")
    }
}
