import Foundation
import Testing

/// `kam events list` on the demo: the import's events are there, a write through the CLI appends its event in the
/// same run, the filters and `--after` page, and only an admin reads the log.
@Suite("kam events end to end")
struct EventsEndToEndTests {
    @Test("a CLI write appears as its typed event; --kind, --client and --after filter; a member is refused")
    func listsTheWritesEvents() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let created = try #require(try await workspace.kam("events", "list", "--kind", "client.created", "--limit", "10000", "--json").jsonArray)
        #expect(created.count == (try workspace.count("clients")))
        let all = try #require(try await workspace.kam("events", "list", "--limit", "10000", "--json").jsonArray)
        #expect(all.count == (try workspace.count("events")))
        let last = try #require(all.last?["id"] as? Int)

        let added = try await workspace.kam("contacts", "add", "acme", "Ada Park", "--email", "ada.park@acme.example", "--role", "champion")
        #expect(added.exitCode == 0, "\(added)")
        let after = try await workspace.kam("events", "list", "--after", "\(last)", "--client", "acme", "--json")
        let events = try #require(after.jsonArray, "\(after)")
        #expect(events.map { $0["kind"] as? String } == ["contact.created"])
        let payload = try #require(events.first?["payload"] as? String)
        #expect(payload.contains(#""role":"champion""#))
        #expect(!payload.contains("Ada") && !payload.contains("acme.example"))
        #expect(try await workspace.kam("events", "list", "--after", "\(last)", "--client", "globex", "--json").jsonArray?.isEmpty == true)

        let table = try await workspace.kam("events", "list", "--after", "\(last)")
        #expect(table.exitCode == 0)
        #expect(table.stdout.contains("contact.created"))
        let unknown = try await workspace.kam("events", "list", "--kind", "contact.deleted")
        #expect(unknown.exitCode == 64, "\(unknown)")
        let member = try await workspace.kam("events", "list", "--user", "leo")
        #expect(member.exitCode == 20, "\(member)")
    }
}
