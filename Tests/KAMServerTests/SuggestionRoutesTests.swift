import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMServer

/// The suggestion routes over the demo store as maria (an admin): list filters, accept, dismiss with a reason,
/// snooze and undo an accept, with their 400, 404 and 409 answers. Every response is checked against the
/// OpenAPI document (`executeDocumented`).
@Suite struct SuggestionRoutesTests {
    typealias World = RouteTestWorld

    /// A world whose rules have run, so the demo's suggestions exist.
    static func world() async throws -> World {
        let world = try await World.make()
        _ = try await world.runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        return world
    }

    /// The open suggestions, as the runtime lists them.
    static func open(_ world: World) throws -> [Suggestion] {
        try world.runtime.suggestions.list(as: .anonymous)
    }

    /// The items of `GET uri`, expecting a 200.
    static func items(_ client: any TestClientProtocol, _ world: World, _ uri: String) async throws -> [JSONValue] {
        try await client.executeDocumented(uri: uri, method: .get, headers: world.auth) { response in
            #expect(response.status == .ok, "\(uri)")
            return try World.json(response.body).items
        }
    }

    @Test func listFiltersByClientTypePriorityAndStatusHighestFirst() async throws {
        let world = try await Self.world()
        let open = try Self.open(world)
        try #require(open.count >= 3)
        try await world.test { client in
            let all = try await Self.items(client, world, "/suggestions?limit=500")
            #expect(all.count == open.count)
            let priorities = all.compactMap { $0["priority"]?.intValue }
            #expect(priorities == priorities.sorted(by: >))

            let acme = try await Self.items(client, world, "/suggestions?client=acme")
            #expect(!acme.isEmpty)
            #expect(acme.allSatisfy { $0.text("client_id") == "acme" })
            #expect(try await Self.items(client, world, "/clients/acme/suggestions").map { $0.text("id") } == acme.map { $0.text("id") })

            let type = open[0].type.rawValue
            let typed = try await Self.items(client, world, "/suggestions?type=\(type)")
            #expect(typed.count == open.filter { $0.type.rawValue == type }.count)
            #expect(typed.allSatisfy { $0.text("type") == type })

            let bar = open[open.count / 2].priority
            let high = try await Self.items(client, world, "/suggestions?min_priority=\(bar)")
            #expect(high.count == open.filter { $0.priority >= bar }.count)

            #expect(try await Self.items(client, world, "/suggestions?status=accepted").isEmpty)
            try await client.executeDocumented(uri: "/suggestions/\(open[0].id)/accept", method: .post, headers: world.auth)
            #expect(try await Self.items(client, world, "/suggestions?status=accepted").map { $0.text("id") } == [open[0].id])
            #expect(try await Self.items(client, world, "/suggestions").count == open.count - 1)

            // Paging: one at a time, the cursor of each page naming the next.
            var cursor: String? = nil
            var paged: [String] = []
            repeat {
                let query = "/suggestions?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.executeDocumented(uri: query, method: .get, headers: world.auth) { response in
                    let page = try World.json(response.body)
                    paged += page.items.compactMap { $0.text("id") }
                    return page.text("next_cursor")
                }
            } while cursor != nil && paged.count <= open.count
            #expect(paged == all.compactMap { $0.text("id") }.filter { $0 != open[0].id })
        }
    }

    @Test func listRefusesBadFiltersAndUnknownClients() async throws {
        let world = try await Self.world()
        try await world.test { client in
            for (query, code) in [
                ("type=nagging", "request.type"), ("status=maybe", "request.status"), ("min_priority=101", "request.min-priority"),
                ("min_priority=high", "request.min-priority"), ("min_priority=", "request.min-priority"), ("limit=0", "request.limit"), ("cursor=abc", "request.cursor"),
                ("cursor=", "request.cursor"),
            ] {
                try await client.executeDocumented(uri: "/suggestions?\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(World.errorCode(response) == code, "\(query)")
                }
            }
            try await client.executeDocumented(uri: "/clients/nobody/suggestions", method: .get, headers: world.auth) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func acceptThenUndoThenAcceptAgain() async throws {
        let world = try await Self.world()
        let suggestion = try #require(try Self.open(world).first { if case .task = $0.action { true } else { false } })
        try await world.test { client in
            let artifact = try await client.executeDocumented(
                uri: "/suggestions/\(suggestion.id)/accept", method: .post, headers: world.auth
            ) { response in
                #expect(response.status == .ok)
                let body = try World.json(response.body)
                #expect(body["suggestion"]?.text("status") == "accepted")
                return try #require(body.text("artifact"))
            }
            #expect(artifact.hasPrefix("task:"))
            try await client.executeDocumented(uri: "/suggestions/\(suggestion.id)/accept", method: .post, headers: world.auth) {
                response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "suggestion.decided")
            }
            try await client.executeDocumented(
                uri: "/suggestions/\(suggestion.id)/undo-accept", method: .post, headers: world.auth
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("status") == "pending")
                #expect(World.parsed(response)["artifact"] == nil)
            }
            let taskID = try #require(Int64(artifact.dropFirst("task:".count)))
            #expect(try world.store.task(id: taskID)?.status == .cancelled)
            try await client.executeDocumented(
                uri: "/suggestions/\(suggestion.id)/undo-accept", method: .post, headers: world.auth
            ) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "suggestion.not-accepted")
            }
            try await client.executeDocumented(uri: "/suggestions/\(suggestion.id)/accept", method: .post, headers: world.auth) {
                #expect($0.status == .ok)
            }
            for action in ["accept", "undo-accept"] {
                try await client.executeDocumented(uri: "/suggestions/s-nothing/\(action)", method: .post, headers: world.auth) {
                    response in
                    #expect(response.status == .notFound)
                    #expect(World.errorCode(response) == "suggestion.not-found")
                }
            }
        }
    }

    @Test func dismissNeedsAReasonAndAnOpenSuggestion() async throws {
        let world = try await Self.world()
        let open = try Self.open(world)
        try #require(open.count >= 2)
        try await world.test { client in
            let uri = "/suggestions/\(open[0].id)/dismiss"
            try await world.expectBadRequests(
                client, uri: uri,
                [
                    (#"{}"#, "request.invalid-json"), (#"{"reason":null}"#, "request.invalid-json"),
                    (#"{"reason":"   "}"#, "suggestion.reason-missing"), ("not json", "request.invalid-json"),
                ])
            try await client.executeDocumented(
                uri: uri, method: .post, headers: world.auth, body: World.body(#"{"reason":"they renewed last week"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("status") == "dismissed")
                #expect(World.parsed(response).text("dismiss_reason") == "they renewed last week")
            }
            // Decided: a second dismissal, a snooze and an undo are conflicts, not bad requests.
            let decided = "/suggestions/\(open[0].id)"
            try await world.expectRefusals(
                client, .conflict,
                [
                    (decided + "/dismiss", #"{"reason":"again"}"#, "suggestion.decided"),
                    (decided + "/snooze", #"{"until":"2026-12-01"}"#, "suggestion.decided"),
                    (decided + "/undo-accept", "", "suggestion.not-accepted"),
                ])
            try await client.executeDocumented(
                uri: "/suggestions/s-nothing/dismiss", method: .post, headers: world.auth, body: World.body(#"{"reason":"x"}"#)
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test func aDismissalsKindLowersTheRulesNextSuggestionInTheCallersListAndIsCountedPerRule() async throws {
        let world = try await Self.world()
        let first = try #require(try Self.open(world).first)
        try await world.test { client in
            let uri = "/suggestions/\(first.id)/dismiss"
            // With a note, the reason must be a kind.
            try await world.expectBadRequests(client, uri: uri, [(#"{"reason":"soon","note":"later"}"#, "request.reason")])
            try await client.executeDocumented(
                uri: uri, method: .post, headers: world.auth,
                body: World.body(#"{"reason":"wrong-client","note":"this is globex's contact"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("dismiss_kind") == "wrong-client")
                #expect(World.parsed(response).text("dismiss_reason") == "this is globex's contact")
            }
            // The rules propose it again: maria's list shows it 40 points lower, and says why.
            _ = try await world.runtime.suggestions.run(clientIDs: [first.clientID], modelSuggestions: false, as: .anonymous)
            let again = try #require(
                try Self.open(world).first { $0.origin == first.origin && $0.clientID == first.clientID && $0.id != first.id })
            let items = try await Self.items(client, world, "/suggestions?limit=500")
            let listed = try #require(items.first { $0.text("id") == again.id })
            #expect(listed["priority"]?.intValue == Int64(max(0, first.priority - 40)))
            #expect(listed["priority_change"]?["base"]?.intValue == Int64(first.priority))
            #expect(listed["priority_change"]?["reasons"]?.arrayValue?.first?.stringValue == "-40: dismissed as wrong client today (\(first.id))")
            // Acceptance per rule, with the dismissal's kind.
            let rules = try await Self.items(client, world, "/analytics/suggestions/rules")
            let line = try #require(rules.first { $0.text("rule") == first.origin })
            #expect(line["dismiss_kinds"]?["wrong-client"]?.intValue == 1)
            #expect(line["statuses"]?["dismissed"]?.intValue == 1)
        }
    }

    @Test func snoozeTakesADayOrATimeAndHidesTheSuggestion() async throws {
        let world = try await Self.world()
        let open = try Self.open(world)
        try #require(open.count >= 2)
        try await world.test { client in
            let uri = "/suggestions/\(open[0].id)/snooze"
            let notDays = [#"{}"#, #"{"until":""}"#, #"{"until":"next week"}"#, #"{"until":"2026-02-30"}"#, #"{"until":"2026-10-01T25:00:00Z"}"#]
            try await world.expectBadRequests(client, uri: uri, notDays.map { ($0, "request.until") })
            try await client.executeDocumented(
                uri: uri, method: .post, headers: world.auth, body: World.body(#"{"until":"2026-10-01T09:30:00.5+02:00"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("status") == "snoozed")
                #expect(World.parsed(response).text("snoozed_until")?.hasPrefix("2026-10-01T07:30:00") == true)
            }
            let ids = try await Self.items(client, world, "/suggestions?limit=500").compactMap { $0.text("id") }
            #expect(!ids.contains(open[0].id))
            #expect(try await Self.items(client, world, "/suggestions?status=snoozed").map { $0.text("id") } == [open[0].id])
            try await client.executeDocumented(
                uri: "/suggestions/\(open[1].id)/snooze", method: .post, headers: world.auth, body: World.body(#"{"until":"2026-10-01"}"#)
            ) { #expect($0.status == .ok) }
        }
    }
}
