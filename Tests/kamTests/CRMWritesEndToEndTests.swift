import Foundation
import Testing

/// The everyday CRM writes through the command line: `kam clients add|update`, `contacts`, `log`, `task`,
/// `deal`, each with `--json`, each re-running the client's health, lead moves and suggestions.
@Suite("kam clients add|update, contacts, log, task, deal end to end")
struct CRMWritesEndToEndTests {
    /// `YYYY-MM-DD`, `days` from today (UTC), for date arguments relative to the seeded demo.
    static func day(_ days: Double) -> String {
        Date().addingTimeInterval(days * 86_400).formatted(.iso8601.year().month().day())
    }

    static func types(_ value: Any?) -> [String] {
        (value as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
    }

    @Test("clients add raises a renewal risk; clients update moves the renewal and resolves it")
    func clientsAddAndUpdate() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let add = try await workspace.kam(
            "clients", "add", "Nakatomi Trading", "--tier", "professional", "--owner", "maria", "--domain",
            "nakatomi.example", "--renewal-date", Self.day(30), "--ai-consent", "no", "--json", "--user", "maria")
        #expect(add.exitCode == 0, "\(add)")
        let added = try #require(add.jsonObject, "\(add)")
        let client = try #require(added["client"] as? [String: Any])
        #expect(client["id"] as? String == "nakatomi-trading")
        #expect(client["consentAIAnalysis"] as? Bool == false)
        #expect(added["created"] as? Bool == true)
        let refresh = try #require(added["refresh"] as? [String: Any])
        #expect(Self.types(refresh["added"]).contains("renewal-risk"), "\(add)")
        #expect(try workspace.rows("SELECT renewal_date FROM clients WHERE id = 'nakatomi-trading'").first?["renewal_date"] != nil)

        #expect(try await workspace.kam("users", "update", "maria", "--time-zone", "Asia/Tokyo").exitCode == 0)
        let show = try await workspace.kam("clients", "show", "nakatomi-trading")
        #expect(show.stdout.contains("contract renews: \(Self.day(30))"), "\(show)")
        #expect(show.stdout.contains(", time zone Asia/Tokyo"), "the owner's zone: \(show)")

        let update = try await workspace.kam(
            "clients", "update", "Nakatomi Trading", "--renewal-date", Self.day(200), "--lead-status", "negotiation",
            "--reason", "renewal talks", "--json")
        #expect(update.exitCode == 0, "\(update)")
        let updated = try #require(update.jsonObject, "\(update)")
        #expect((updated["leadTransition"] as? [String: Any])?["to"] as? String == "negotiation")
        #expect(Self.types((updated["refresh"] as? [String: Any])?["resolved"]) == ["renewal-risk"], "\(update)")
        #expect(try workspace.count("lead_transitions", where: "client_id = 'nakatomi-trading' AND reason = 'renewal talks'") == 1)

        let text = try await workspace.kam("clients", "update", "nakatomi-trading", "--industry", "trading")
        #expect(text.exitCode == 0, "\(text)")
        #expect(text.stdout.hasPrefix("updated nakatomi-trading (Nakatomi Trading): tier professional"), "\(text)")

        let duplicate = try await workspace.kam("clients", "add", "Nakatomi Trading")
        #expect(duplicate.exitCode == 12, "a taken id is an illegal state, not bad usage: \(duplicate)")
        #expect(duplicate.stderr.contains("kam clients update nakatomi-trading"), "\(duplicate)")
        let badOwner = try await workspace.kam("clients", "update", "acme", "--owner", "nobody")
        #expect(badOwner.exitCode == 12, "an owner who is no user is a conflict with the store: \(badOwner)")
        #expect(badOwner.stderr.contains("client 'acme': --owner 'nobody'"), "\(badOwner)")
        let badDate = try await workspace.kam("clients", "update", "acme", "--renewal-date", "2027-02-30")
        #expect(badDate.exitCode == 64, "\(badDate)")
        #expect(try workspace.count("clients") == 9)
    }

    @Test("contacts add, update, remove and list, with the email checked")
    func contacts() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let add = try await workspace.kam(
            "contacts", "add", "acme", "Ada Park", "--email", "Ada.Park@Acme.example", "--title", "Plant Manager",
            "--role", "champion", "--phone", "+1 555 0199", "--json")
        #expect(add.exitCode == 0, "\(add)")
        let contact = try #require((add.jsonObject?["contact"]) as? [String: Any], "\(add)")
        #expect(contact["email"] as? String == "ada.park@acme.example")
        let id = try #require(contact["id"] as? Int)
        #expect((add.jsonObject?["refresh"] as? [String: Any])?["health"] != nil)

        let update = try await workspace.kam("contacts", "update", "acme", "ada.park@acme.example", "--title", "COO", "--json")
        #expect(update.exitCode == 0, "\(update)")
        #expect((update.jsonObject?["contact"] as? [String: Any])?["title"] as? String == "COO")
        #expect(try workspace.rows("SELECT title FROM contacts WHERE id = \(id)").first?["title"] == "COO")

        let list = try await workspace.kam("contacts", "list", "acme", "--json")
        #expect(list.jsonArray?.contains { $0["name"] as? String == "Ada Park" } == true, "\(list)")

        let badEmail = try await workspace.kam("contacts", "add", "acme", "Bo", "--email", "bo@@acme.example")
        #expect(badEmail.exitCode == 64, "\(badEmail)")
        #expect(badEmail.stderr.contains("new contact of client 'acme': --email 'bo@@acme.example' is not an email address"))
        let taken = try await workspace.kam("contacts", "add", "acme", "Ada Again", "--email", "ada.park@acme.example")
        #expect(taken.exitCode != 0, "\(taken)")
        #expect(taken.stderr.contains("already belongs to contact \(id)"), "\(taken)")

        let remove = try await workspace.kam("contacts", "remove", "acme", "\(id)", "--json")
        #expect(remove.exitCode == 0, "\(remove)")
        #expect(remove.jsonObject?["removed"] as? Bool == true)
        #expect(try workspace.count("contacts", where: "id = \(id)") == 0)
        let missing = try await workspace.kam("contacts", "remove", "acme", "\(id)")
        #expect(missing.exitCode == 4, "\(missing)")
        #expect(missing.stderr.contains("client 'acme' has no contact '\(id)'"), "\(missing)")
    }

    @Test("log --call resolves the follow-up suggestion and changes health")
    func logACall() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let before = try #require(try await workspace.kam("suggest", "list", "--client", "initech", "--json").jsonArray)
        #expect(before.contains { $0["type"] as? String == "follow-up" }, "the demo's initech is 10 days silent")
        let activities = try workspace.count("activities", where: "client_id = 'initech'")

        let log = try await workspace.kam(
            "log", "initech", "--call", "Talked through the Q1 rollout with Bill", "--sentiment", "0.6", "--with",
            "bill@initech.example", "--json")
        #expect(log.exitCode == 0, "\(log)")
        let logged = try #require(log.jsonObject, "\(log)")
        let activity = try #require(logged["activity"] as? [String: Any])
        #expect(activity["kind"] as? String == "call")
        #expect(activity["direction"] as? String == "outbound")
        #expect(activity["contactID"] as? Int != nil)
        let refresh = try #require(logged["refresh"] as? [String: Any])
        #expect(Self.types(refresh["resolved"]).contains("follow-up"), "\(log)")
        let health = try #require((refresh["health"] as? [String: Any])?["score"] as? Int)
        #expect(refresh["previousHealth"] as? Int != health, "\(log)")
        #expect(try workspace.count("activities", where: "client_id = 'initech'") == activities + 1)
        let after = try #require(try await workspace.kam("suggest", "list", "--client", "initech", "--json").jsonArray)
        #expect(!after.contains { $0["type"] as? String == "follow-up" })
        #expect(try workspace.count("suggestions", where: "client_id = 'initech' AND type = 'follow-up' AND status = 'resolved'") == 1)

        let text = try await workspace.kam("log", "stark", "--meeting", "Site visit", "--direction", "in")
        #expect(text.exitCode == 0, "\(text)")
        #expect(text.stdout.hasPrefix("logged meeting inbound with stark"), "\(text)")
        #expect(text.stdout.contains("resolved "), "stark's follow-up goes too: \(text)")

        let future = try await workspace.kam("log", "initech", "--note", "later", "--at", Self.day(3))
        #expect(future.exitCode == 12, "a time in the future conflicts with the clock: \(future)")
        #expect(future.stderr.contains("client 'initech': --at"), "\(future)")
        let noKind = try await workspace.kam("log", "initech", "no kind given")
        #expect(noKind.exitCode == 64, "\(noKind)")
        #expect(try workspace.count("activities", where: "client_id = 'initech'") == activities + 1)
    }

    @Test("task done resolves the escalate suggestion; done twice is refused; reopen, add, list")
    func tasks() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let pending = try #require(try await workspace.kam("task", "list", "globex", "--json").jsonArray)
        let overdue = try #require(pending.first { $0["title"] as? String == "Send renewal quote to Hank" })
        let id = try #require(overdue["id"] as? Int)
        let escalations = "client_id = 'globex' AND type = 'escalate' AND target = 'task:\(id)'"
        #expect(try workspace.count("suggestions", where: escalations + " AND status = 'pending'") == 1)

        let done = try await workspace.kam("task", "done", "\(id)", "--json", "--user", "tom")
        #expect(done.exitCode == 0, "\(done)")
        let write = try #require(done.jsonObject, "\(done)")
        #expect((write["task"] as? [String: Any])?["status"] as? String == "done")
        let resolved = try #require((write["refresh"] as? [String: Any])?["resolved"] as? [[String: Any]])
        #expect(resolved.map { $0["type"] as? String } == ["escalate"])
        #expect(resolved.first?["resolution"] as? String == "task \(id) done by tom")
        #expect(try workspace.count("suggestions", where: escalations + " AND status = 'resolved'") == 1)

        let twice = try await workspace.kam("task", "done", "\(id)")
        #expect(twice.exitCode == 12, "\(twice)")
        #expect(twice.stderr.contains("kam task reopen \(id)"), "\(twice)")
        let reopen = try await workspace.kam("task", "reopen", "\(id)", "--json")
        #expect(reopen.exitCode == 0, "\(reopen)")
        #expect(Self.types((reopen.jsonObject?["refresh"] as? [String: Any])?["added"]) == ["escalate"], "\(reopen)")

        let add = try await workspace.kam(
            "task", "add", "acme", "Book the plant visit", "--due", Self.day(4), "--priority", "high", "--assignee",
            "tom.becker@kam.example", "--json")
        #expect(add.exitCode == 0, "\(add)")
        let task = try #require(add.jsonObject?["task"] as? [String: Any], "\(add)")
        #expect(task["assignee"] as? String == "tom")
        #expect(task["priority"] as? String == "high")
        let mine = try #require(try await workspace.kam("task", "list", "--mine", "--json", "--user", "tom").jsonArray)
        #expect(mine.contains { $0["title"] as? String == "Book the plant visit" })
        #expect(mine.allSatisfy { $0["assignee"] as? String == "tom" })
        let table = try await workspace.kam("task", "list", "acme")
        #expect(table.stdout.hasPrefix("ID  CLIENT"), "\(table)")
        #expect(table.stdout.contains("Book the plant visit"))
        let missing = try await workspace.kam("task", "done", "9999")
        #expect(missing.exitCode == 4, "\(missing)")
    }

    @Test("deal won makes the lead won; every move is kept with who and when")
    func deals() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let open = try #require(try await workspace.kam("deal", "list", "wayne", "--json").jsonArray)
        let id = try #require(open.first?["id"] as? Int)
        let won = try await workspace.kam("deal", "won", "\(id)", "--json", "--user", "aisha")
        #expect(won.exitCode == 0, "\(won)")
        let write = try #require(won.jsonObject, "\(won)")
        let move = try #require(write["leadTransition"] as? [String: Any], "\(won)")
        #expect(move["from"] as? String == "qualified")
        #expect(move["to"] as? String == "won")
        let history = try #require((write["deal"] as? [String: Any])?["history"] as? [[String: Any]])
        #expect(history.last?["stage"] as? String == "closed-won")
        #expect(history.last?["by"] as? String == "aisha")
        #expect(history.last?["enteredAt"] as? String != nil)
        #expect(try await workspace.kam("lead", "wayne", "--json").jsonObject?["status"] as? String == "won")
        #expect(try workspace.count("deal_stage_history", where: "deal_id = \(id) AND user_id = 'aisha'") == 1)

        let reopen = try await workspace.kam("deal", "move", "\(id)", "negotiation")
        #expect(reopen.exitCode == 12, "\(reopen)")
        #expect(reopen.stderr.contains("a closed deal stays closed"), "\(reopen)")

        let add = try await workspace.kam(
            "deal", "add", "acme", "Line 4 retrofit", "--amount", "42000", "--stage", "proposal", "--close", Self.day(45),
            "--probability", "40", "--json", "--user", "maria")
        #expect(add.exitCode == 0, "\(add)")
        let deal = try #require(add.jsonObject?["deal"] as? [String: Any], "\(add)")
        #expect(deal["probability"] as? Double == 0.4)
        let newID = try #require(deal["id"] as? Int)
        let moved = try await workspace.kam("deal", "move", "\(newID)", "negotiation", "--user", "tom")
        #expect(moved.exitCode == 0, "\(moved)")
        #expect(moved.stdout.hasPrefix("deal \(newID) (Line 4 retrofit, acme): proposal → negotiation by tom at "), "\(moved)")
        let rows = try workspace.rows("SELECT stage, user_id FROM deal_stage_history WHERE deal_id = \(newID) ORDER BY id")
        #expect(rows.map { $0["stage"] ?? "" } == ["proposal", "negotiation"])
        #expect(rows.map { $0["user_id"] ?? "" } == ["maria", "tom"])

        let all = try #require(try await workspace.kam("deal", "list", "--all", "--json").jsonArray)
        #expect(all.contains { $0["id"] as? Int == id && $0["stage"] as? String == "closed-won" })
        let text = try await workspace.kam("deal", "list", "acme", "--history")
        #expect(text.stdout.contains("negotiation  by tom"), "\(text)")
        let badStage = try await workspace.kam("deal", "move", "\(newID)", "finished")
        #expect(badStage.exitCode == 64, "\(badStage)")
    }
}
