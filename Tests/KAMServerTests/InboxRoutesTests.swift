import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The inbox over HTTP as maria: her notifications (put there by the rules), only unread ones, one marked read; another
/// user's notification is not found. Every response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct InboxRoutesTests {
    typealias World = RouteTestWorld

    @Test func theCallersNotificationsAreListedAndMarkedRead() async throws {
        let world = try await World.make()
        let repository = RuleExecutionRepository(store: world.store)
        for (user, title) in [("maria", "Acme: health fell to 55"), ("maria", "Escalation: Globex"), ("leo", "Not maria's")] {
            try repository.record(
                [
                    RuleExecutionRequest(
                        execution: RuleExecution(
                            rule: "health-intervention", cause: "test:\(title)", eventID: nil, clientID: "acme", chainRoot: nil,
                            chainDepth: 0, status: .fired, conditions: [], startedAt: World.now),
                        writes: [("notify", .notification(userID: user, title: title, body: "why"))], chain: nil, cooldownDays: 0)
                ], clock: { World.now })
        }
        let leos = try NotificationRepository(store: world.store).inbox(userID: "leo")[0].id
        try await world.test { client in
            var first: Int64 = 0
            try await client.executeDocumented(uri: "/inbox", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let items = try World.json(response.body).items
                #expect(items.map { $0.text("title") } == ["Escalation: Globex", "Acme: health fell to 55"])
                #expect(items.allSatisfy { $0.text("rule") == "health-intervention" && $0["read_at"] == nil })
                first = items.last?["id"]?.intValue ?? 0
            }
            try await client.executeDocumented(uri: "/inbox/\(first)/read", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("read_at") != nil)
            }
            try await client.executeDocumented(uri: "/inbox?unread=true", method: .get, headers: world.auth) { response in
                let titles = try World.json(response.body).items.map { $0.text("title") }
                #expect(titles == ["Escalation: Globex"])
            }
            for missing in ["\(leos)", "999999", "x"] {
                try await client.executeDocumented(uri: "/inbox/\(missing)/read", method: .post, headers: world.auth) {
                    #expect($0.status == .notFound, "\(missing)")
                }
            }
            try await client.executeDocumented(uri: "/inbox?unread=maybe", method: .get, headers: world.auth) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
