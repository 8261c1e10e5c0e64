import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMServer

/// Thumbs up or down with a reason on drafts and suggestions, as maria (an admin) over the demo store, with the
/// 400 and 404 answers. Every response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct FeedbackRoutesTests {
    typealias World = RouteTestWorld

    /// The bodies every feedback route refuses, with their codes.
    static let badBodies: [(body: String, code: String)] = [
        (#"{"rating":"meh"}"#, "request.rating"), (#"{"rating":"UP"}"#, "request.rating"), (#"{}"#, "request.invalid-json"),
        (#"{"rating":null}"#, "request.invalid-json"), (#"{"rating":"up","reason":null}"#, "request.invalid-json"),
        (#"{"rating":"up","reason":7}"#, "request.invalid-json"), ("[]", "request.invalid-json"),
    ]

    /// POSTs `body` to `uri` as maria and expects a 201 answering `recorded`.
    static func expectRecorded(
        _ client: any TestClientProtocol, _ world: World, _ uri: String, _ body: String, _ recorded: [String: JSONValue]
    ) async throws {
        try await client.executeDocumented(uri: uri, method: .post, headers: world.auth, body: World.body(body)) { response in
            #expect(response.status == .created, "\(body)")
            #expect(World.parsed(response) == .object(recorded), "\(body)")
        }
    }

    @Test func draftFeedbackIsRecordedTrimmedAndListedInOrder() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await DraftRoutesTests.create(client, world)
            let uri = "/drafts/\(id)/feedback"
            try await Self.expectRecorded(
                client, world, uri, #"{"rating":"up","reason":"  clear and short  "}"#,
                ["rating": .string("up"), "reason": .string("clear and short")])
            for body in [#"{"rating":"down"}"#, #"{"rating":"down","reason":"   "}"#] {
                try await Self.expectRecorded(client, world, uri, body, ["rating": .string("down")])
            }
            try await client.executeDocumented(uri: uri, method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let items = try World.json(response.body).items
                #expect(items.map { $0.text("rating") } == ["up", "down", "down"])
                #expect(items.first?.text("reason") == "clear and short")
            }
            try await client.executeDocumented(uri: uri + "?limit=2", method: .get, headers: world.auth) { response in
                let page = try World.json(response.body)
                #expect(page.items.count == 2)
                let next = try #require(page.text("next_cursor"))
                try await client.executeDocumented(uri: uri + "?limit=2&cursor=\(next)", method: .get, headers: world.auth) {
                    response in
                    #expect(World.parsed(response).items.map { $0.text("rating") } == ["down"])
                    #expect(World.parsed(response)["next_cursor"] == .null)
                }
            }
            try await world.expectBadRequests(client, uri: uri, Self.badBodies)
            try await client.executeDocumented(uri: uri + "?cursor=bzo", method: .get, headers: world.auth) { response in
                #expect(response.status == .badRequest)
                #expect(World.errorCode(response) == "request.cursor")
            }
        }
    }

    @Test func suggestionFeedbackIsRecorded() async throws {
        let world = try await World.make()
        _ = try await world.runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        let suggestion = try #require(try world.runtime.suggestions.list(as: .anonymous).first)
        try await world.test { client in
            let uri = "/suggestions/\(suggestion.id)/feedback"
            try await Self.expectRecorded(
                client, world, uri, #"{"rating":"down","reason":"already called them"}"#,
                ["rating": .string("down"), "reason": .string("already called them")])
            try await world.expectBadRequests(client, uri: uri, Self.badBodies)
        }
        let stored = try world.runtime.suggestions.feedback(suggestion.id, as: .anonymous)
        #expect(stored.map(\.rating) == [.down])
        #expect(stored.first?.reason == "already called them")
        #expect(stored.first?.user == "maria")
    }

    @Test func feedbackOnUnknownOrUnreachableRecordsIsNotFound() async throws {
        let world = try await World.make()
        let leo = try world.memberAuth()
        try await world.test { client in
            let draft = try await DraftRoutesTests.create(client, world, "globex")  // tom's client: leo cannot reach it
            for (uri, headers) in [
                ("/drafts/d-nothing/feedback", world.auth), ("/suggestions/s-nothing/feedback", world.auth),
                ("/drafts/\(draft)/feedback", leo),
            ] {
                try await client.executeDocumented(
                    uri: uri, method: .post, headers: headers, body: World.body(#"{"rating":"up"}"#)
                ) { #expect($0.status == .notFound, "\(uri)") }
            }
            for (uri, headers) in [("/drafts/d-nothing/feedback", world.auth), ("/drafts/\(draft)/feedback", leo)] {
                try await client.executeDocumented(uri: uri, method: .get, headers: headers) {
                    #expect($0.status == .notFound, "\(uri)")
                }
            }
        }
    }
}
