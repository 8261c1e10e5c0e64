import Foundation
import Testing

/// `kam demo` on a fresh machine: offline, no key, and safe to run twice.
@Suite("kam demo end to end")
struct DemoEndToEndTests {
    @Test("demo on a fresh database prints a context and two offline drafts")
    func demoOnFreshDatabase() async throws {
        let workspace = try Workspace()
        let result = try await workspace.kam("demo")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("Context for Acme Manufacturing"), "\(result)")
        #expect(result.stdout.contains("# Client context"), "\(result)")
        let draftHeaders = result.stdout.split(separator: "\n").filter { $0.hasPrefix("Draft d-") }
        #expect(draftHeaders.count == 2, "\(result)")
        #expect(draftHeaders.allSatisfy { $0.hasSuffix("pending") }, "\(draftHeaders)")
        #expect(result.stdout.components(separatedBy: "[offline: written without a model]").count - 1 == 2, "\(result)")
        #expect(try workspace.count("drafts", where: "status = 'pending' AND is_offline = 1") == 2)
        // The only decided drafts are the shipped approved edits (`Resources/demo/approved-edits.json`).
        #expect(try workspace.count("drafts", where: "status != 'pending'") == 12)
        #expect(try workspace.count("drafts", where: "id LIKE 'demo-edit-%' AND status = 'edited-and-approved'") == 12)
        // The campaign: nine recipients, eight of them the demo's contacts, three accounts engaged; Acme's decision maker
        // clicked the pricing page.
        #expect(
            result.stdout.contains("Campaign: 'Product update' imported, 9 recipients, 8 linked to contacts, 3 clients engaged"),
            "\(result)")
        #expect(try workspace.count("campaign_recipients", where: "client_id IS NOT NULL") == 8)
        #expect(
            try workspace.count(
                "campaign_recipients", where: "client_id = 'acme' AND clicks > 0 AND clicked_urls LIKE '%kam.example/pricing%'") == 1)
    }

    @Test("a second demo run updates instead of duplicating")
    func demoTwiceDuplicatesNothing() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let before = try workspace.tableCounts()
        #expect(before["clients", default: 0] > 0)
        let result = try await workspace.kam("demo")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("0 created"), "\(result)")
        #expect(result.stdout.contains("Campaign: the demo's product update is already there"), "\(result)")
        var after = try workspace.tableCounts()
        var expected = before
        // Health scores are a history: every scoring pass appends one row per client, by design.
        after["health_scores"] = nil
        expected["health_scores"] = nil
        // Stark's last contact sits exactly on the 7-day follow-up threshold, so a later run may
        // rightly add that one suggestion; what must never happen is the same suggestion twice.
        after["suggestions"] = nil
        expected["suggestions"] = nil
        // A key is shown only once, so each run prints three new try-out keys (member, manager, admin), which expire.
        expected["api_keys", default: 0] += 3
        // ... each announced by its `key.created` event.
        expected["events", default: 0] += 3
        #expect(after == expected)
        let keys = try workspace.rows("SELECT client_id || '/' || type || '/' || target AS key FROM suggestions")
            .compactMap { $0["key"] }
        #expect(Set(keys).count == keys.count, "duplicated suggestions: \(keys.sorted())")
        #expect(keys.count >= before["suggestions", default: 0])
    }

    @Test("clients list --json is an array of objects with id and name")
    func clientsListJSON() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let result = try await workspace.kam("clients", "list", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let clients = try #require(result.jsonArray, "\(result)")
        #expect(clients.count == 8)
        for client in clients {
            #expect((client["id"] as? String)?.isEmpty == false, "\(client)")
            #expect((client["name"] as? String)?.isEmpty == false, "\(client)")
        }
        #expect(clients.contains { $0["id"] as? String == "acme" && $0["name"] as? String == "Acme Manufacturing" })
    }

    @Test("context of an unknown client exits non-zero and lists close matches")
    func contextOfUnknownClient() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let close = try await workspace.kam("context", "acmee")
        #expect(close.exitCode == 4, "\(close)")
        #expect(close.stderr.contains("did you mean"), "\(close)")
        #expect(close.stderr.contains("acme"), "\(close)")
        #expect(close.stdout.isEmpty, "\(close)")

        let none = try await workspace.kam("context", "zzzzzz")
        #expect(none.exitCode == 4, "\(none)")
        #expect(none.stderr.contains("kam clients list"), "\(none)")
    }

    @Test("context --json reports exact tokens and fences untrusted text")
    func contextJSON() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let result = try await workspace.kam("context", "acme", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let context = try #require(result.jsonObject, "\(result)")
        let text = try #require(context["text"] as? String)
        #expect(text.contains("<untrusted"))
        let tokens = try #require(context["total_tokens"] as? Int)
        let counted = try await workspace.kamWithoutDatabase("tokens", "count", input: text)
        #expect(counted.exitCode == 0, "\(counted)")
        #expect(Int(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == tokens, "\(counted)")
    }

    @Test("remember then forget round trip")
    func rememberForget() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let remembered = try await workspace.kam("remember", "acme", "Prefers invoices in PDF", "--kind", "preference")
        #expect(remembered.exitCode == 0, "\(remembered)")
        #expect(remembered.stdout.contains("prefers-invoices-pdf"), "the key is made from the text: \(remembered)")
        #expect(try await workspace.kam("forget", "acme", "prefers-invoices-pdf").exitCode == 0)
        #expect(try await workspace.kam("remember", "acme", "Prefers invoices in PDF", "--key", "prefers-invoices-in-pdf").exitCode == 0)
        let shown = try await workspace.kam("context", "acme")
        #expect(shown.stdout.contains("Prefers invoices in PDF"), "\(shown)")
        #expect(try workspace.count("client_memory", where: "client_id = 'acme' AND key = 'prefers-invoices-in-pdf'") == 1)

        let again = try await workspace.kam("remember", "acme", "Prefers invoices as PDF", "--key", "prefers-invoices-in-pdf")
        #expect(again.exitCode == 0, "\(again)")
        let replaced = try await workspace.kam("context", "acme")
        #expect(replaced.stdout.contains("Prefers invoices as PDF"), "the same key replaces the value: \(replaced)")
        #expect(!replaced.stdout.contains("Prefers invoices in PDF"), "\(replaced)")
        #expect(try workspace.count("client_memory", where: "client_id = 'acme' AND key = 'prefers-invoices-in-pdf'") == 1)

        let forgot = try await workspace.kam("forget", "acme", "prefers-invoices-in-pdf")
        #expect(forgot.exitCode == 0, "\(forgot)")
        let after = try await workspace.kam("context", "acme")
        #expect(!after.stdout.contains("invoices"), "\(after)")
        #expect(try workspace.count("client_memory", where: "client_id = 'acme' AND key = 'prefers-invoices-in-pdf'") == 0)

        let twice = try await workspace.kam("forget", "acme", "prefers-invoices-in-pdf")
        #expect(twice.exitCode == 4, "\(twice)")
        #expect(twice.stderr.contains("preferred-call-time"), "the error lists the keys there are: \(twice)")
    }
}
