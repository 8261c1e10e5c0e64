import Foundation
import KAMCore
import KAMTesting
import Testing

/// `kam webhooks add|list|deliver|deliveries|remove` and `kam webhooks sources add|list`, against a receiver
/// listening on a loopback port: a new draft's event is delivered signed with the subscription's secret, a
/// receiver answering 500 is logged and retried, and only an admin (or a local run) configures webhooks.
@Suite("kam webhooks end to end")
struct WebhooksEndToEndTests {
    @Test("a subscribed event reaches the receiver signed; the secret is shown once and never listed")
    func deliveredSigned() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let receiver = try LoopbackReceiver()
        defer { receiver.stop() }
        let added = try await workspace.kam(
            "webhooks", "add", "http://127.0.0.1:\(receiver.port)/kam", "--events", "draft.created", "--json")
        #expect(added.exitCode == 0, "\(added)")
        let object = try #require(added.jsonObject, "\(added)")
        let secret = try #require(object["secret"] as? String)
        let listed = try await workspace.kam("webhooks", "list", "--json")
        #expect(listed.exitCode == 0 && !listed.stdout.contains(secret), "\(listed)")
        #expect(try workspace.rows("SELECT url FROM webhook_subscriptions").map { $0["url"] } == ["http://127.0.0.1:\(receiver.port)/kam"])

        let draft = try await workspace.kam("draft", "new", "acme", "--kind", "follow-up", "--json")
        #expect(draft.exitCode == 0, "\(draft)")
        let draftID = try #require((draft.jsonObject?["draft"] as? [String: Any])?["id"] as? String ?? draft.jsonObject?["id"] as? String)

        let delivered = try await workspace.kam("webhooks", "deliver", "--json")
        #expect(delivered.exitCode == 0, "\(delivered)")
        #expect(delivered.jsonObject?["delivered"] as? Int == 1, "\(delivered)")
        let request = try #require(receiver.received.first)
        #expect(receiver.received.count == 1)
        #expect(request.head.hasPrefix("POST /kam HTTP/1.1"))
        #expect(request.header("X-KAM-Event") == "draft.created")
        try WebhookSignature.verify(request.header(WebhookSignature.headerName), secret: secret, body: Array(request.body.utf8), now: Date())
        let event = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
        #expect(event["type"] as? String == "draft.created")
        #expect((event["data"] as? [String: Any])?["id"] as? String == draftID)
        #expect(!request.body.contains("Dear") && !request.body.contains("Hi "), "an event carries ids, never the draft's text")

        let log = try await workspace.kam("webhooks", "deliveries", "--json")
        #expect((log.jsonArray ?? []).map { $0["status"] as? String } == ["delivered"], "\(log)")
        // Nothing is due any more: a second pass sends nothing.
        let again = try await workspace.kam("webhooks", "deliver", "--json")
        #expect(again.jsonObject?["attempted"] as? Int == 0, "\(again)")
        #expect(receiver.received.count == 1)
    }

    @Test("a receiver answering 500 is logged with its status and retried later; a removed webhook gets nothing")
    func failingReceiverAndRemoval() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let receiver = try LoopbackReceiver(status: 500)
        defer { receiver.stop() }
        let added = try await workspace.kam(
            "webhooks", "add", "http://127.0.0.1:\(receiver.port)/broken", "--events", "draft.created,draft.approved",
            "--secret", "whsec_fixed", "--json")
        let id = try #require((added.jsonObject?["subscription"] as? [String: Any])?["id"] as? String, "\(added)")
        _ = try await workspace.kam("draft", "new", "acme", "--kind", "follow-up")

        let report = try await workspace.kam("webhooks", "deliver", "--json")
        #expect(report.jsonObject?["retrying"] as? Int == 1, "\(report)")
        let failed = try await workspace.kam("webhooks", "deliveries", "--json")
        let entry = try #require(failed.jsonArray?.first, "\(failed)")
        #expect(entry["status"] as? String == "pending")
        #expect(entry["attempts"] as? Int == 1)
        #expect(entry["response_status"] as? Int ?? entry["responseStatus"] as? Int == 500, "\(entry)")

        let removed = try await workspace.kam("webhooks", "remove", id)
        #expect(removed.exitCode == 0, "\(removed)")
        _ = try await workspace.kam("draft", "new", "acme", "--kind", "follow-up")
        _ = try await workspace.kam("webhooks", "deliver")
        #expect(try workspace.count("webhook_deliveries") == 1, "no delivery is made for a removed webhook")
        let gone = try await workspace.kam("webhooks", "remove", id)
        #expect(gone.exitCode == 4, "\(gone)")
    }

    @Test("bad URLs and events are refused by name; only an admin or a local run configures webhooks and sources")
    func refusals() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let cases: [([String], Int32, String)] = [
            (["webhooks", "add", "ftp://hooks.example/kam", "--events", "draft.created"], 64, "http"),
            (["webhooks", "add", "https://hooks.example/kam", "--events", "draft.eaten"], 64, "draft.created"),
            (["webhooks", "add", "https://hooks.example/kam", "--events", "draft.created", "--user", "leo"], 20, "admin role"),
            (["webhooks", "add", "https://hooks.example/kam", "--events", "draft.created", "--user", "tom"], 20, "admin role"),
            (["webhooks", "sources", "add", "relay", "--user", "leo"], 20, "admin role"),
        ]
        for (arguments, status, message) in cases {
            let result = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
            #expect(result.exitCode == status, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
        #expect(try workspace.count("webhook_subscriptions") == 0)
        #expect(try workspace.count("webhook_sources") == 0)

        let source = try await workspace.kam("webhooks", "sources", "add", "relay", "--user", "maria")
        #expect(source.exitCode == 0, "\(source)")
        let sources = try await workspace.kam("webhooks", "sources", "list")
        #expect(sources.stdout.contains("relay"), "\(sources)")
    }
}
