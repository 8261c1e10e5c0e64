import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// Support tickets over HTTP, on the demo store with the Zendesk fixture imported, as maria (an admin who owns acme).
/// Every response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct SupportRoutesTests {
    typealias World = RouteTestWorld

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tickets/zendesk-tickets.csv").path

    @Test func listShowAnalyseReplyAndInsights() async throws {
        let world = try await World.make()
        _ = try world.runtime.support.importFile(Self.fixture, as: .anonymous)
        let invoice = try #require(try world.runtime.support.list(as: .anonymous).first { $0.subject == "Invoice charged twice" })
        let id = try #require(invoice.id)
        try await world.test { client in
            try await client.executeDocumented(uri: "/tickets?client=acme&open=true", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let subjects = try World.json(response.body).items.map { $0.text("subject") }
                #expect(subjects == ["Invoice charged twice"])
            }
            try await client.executeDocumented(uri: "/tickets?status=archived", method: .get, headers: world.auth) { response in
                #expect(response.status == .badRequest)
            }
            try await client.executeDocumented(uri: "/tickets/\(id)/analyse", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["analysis"]?.text("urgency") == "high")
            }
            try await client.executeDocumented(uri: "/tickets/\(id)", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["analysis"]?["topics"] == .array([.string("billing")]))
            }
            try await client.executeDocumented(
                uri: "/tickets/\(id)/reply", method: .post, headers: world.auth, body: World.body(#"{"hint":"checking with billing"}"#)
            ) { response in
                #expect(response.status == .created)
                #expect(World.parsed(response).text("kind") == "support-reply")
                #expect(World.parsed(response).text("status") == "pending")
            }
            try await client.executeDocumented(uri: "/clients/acme/support", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["open_urgent"] == .int(1))
            }
            try await client.executeDocumented(uri: "/tickets/999999", method: .get, headers: world.auth) { response in
                #expect(response.status == .notFound)
                #expect(World.errorCode(response) == "ticket.not-found")
            }
            // A support reply is written from its ticket, never from the generic draft route.
            try await client.executeDocumented(
                uri: "/drafts", method: .post, headers: world.auth, body: World.body(#"{"client":"acme","kind":"support-reply"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(World.errorCode(response) == "draft.reply-needs-ticket")
            }
        }
    }
}
