import Foundation
import Testing

/// The CLI's readers honour `--user` as the server honours a key: a member sees their own clients and drafts
/// and nothing else is found; without `--user` the run is a local admin who sees everything.
@Suite("kam readers scoped by --user end to end")
struct ScopedReadersEndToEndTests {
    @Test("clients list and find show a member only the clients they own; without --user every client")
    func clientListsFollowTheUser() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let everyone = try #require(try await workspace.kam("clients", "list", "--json").jsonArray)
        #expect(everyone.count == 8)
        let leo = try await workspace.kam("clients", "list", "--json", "--user", "leo")
        #expect(leo.exitCode == 0, "\(leo)")
        #expect(try #require(leo.jsonArray).compactMap { $0["id"] as? String } == ["initech"], "\(leo)")
        // tom manages the enterprise team (leo and nina among them): his own globex and their initech and
        // umbrella, never the growth team's hooli, soylent or wayne.
        let tom = Set(
            try #require(try await workspace.kam("clients", "list", "--json", "--user", "tom").jsonArray)
                .compactMap { $0["id"] as? String })
        #expect(tom.isSuperset(of: ["globex", "initech", "umbrella"]), "\(tom)")
        #expect(tom.isDisjoint(with: ["hooli", "soylent", "wayne"]), "\(tom)")
        let found = try await workspace.kam("clients", "find", "acme", "--json", "--user", "leo")
        #expect(found.exitCode == 0, "\(found)")
        #expect(found.jsonArray?.isEmpty == true, "\(found)")
    }

    @Test("a client and a draft outside the member's scope are not found, as over HTTP")
    func outOfScopeRecordsAreNotFound() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let shown = try await workspace.kam("clients", "show", "acme", "--user", "leo")
        #expect(shown.exitCode == 4, "\(shown)")
        #expect(shown.stderr.contains("client.not-found") || shown.stderr.contains("no client"), "\(shown)")
        #expect(try await workspace.kam("clients", "show", "acme").exitCode == 0)

        let drafts = try #require(try await workspace.kam("draft", "list", "--json").jsonArray)
        let acmeDraft = try #require(drafts.first { $0["clientID"] as? String == "acme" }?["id"] as? String, "\(drafts)")
        let listed = try #require(try await workspace.kam("draft", "list", "--json", "--user", "leo").jsonArray)
        #expect(!listed.contains { $0["id"] as? String == acmeDraft }, "\(listed)")
        let refused = try await workspace.kam("draft", "show", acmeDraft, "--user", "leo")
        #expect(refused.exitCode == 4, "\(refused)")
        #expect(!refused.stdout.contains("Subject:"), "the draft leaked: \(refused)")
        // maria, the admin, sees it, as does a run without --user.
        #expect(try await workspace.kam("draft", "show", acmeDraft, "--user", "maria").exitCode == 0)
        #expect(try await workspace.kam("draft", "show", acmeDraft).exitCode == 0)
    }

    @Test("suggestions and contacts list only what the member may see")
    func suggestionsAndContactsFollowTheUser() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let all = try #require(try await workspace.kam("suggest", "list", "--json").jsonArray)
        let leo = try #require(try await workspace.kam("suggest", "list", "--json", "--user", "leo").jsonArray)
        #expect(all.contains { $0["clientID"] as? String != "initech" }, "\(all)")
        #expect(leo.allSatisfy { $0["clientID"] as? String == "initech" }, "\(leo)")
        let contacts = try await workspace.kam("contacts", "list", "acme", "--user", "leo")
        #expect(contacts.exitCode == 4, "\(contacts)")
    }
}
