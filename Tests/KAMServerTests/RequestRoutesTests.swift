import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct RequestRoutesTests {
    typealias World = RoleRouteWorld

    /// Polls `GET /requests/:id` until the request is done or failed (the background task answers it), at most
    /// a few hundred times; returns the last body.
    static func finished(_ client: any TestClientProtocol, _ id: String, _ headers: HTTPFields) async throws -> JSONValue {
        for _ in 0..<500 {
            let body = try await client.executeDocumented(uri: "/requests/\(id)", method: .get, headers: headers) {
                response in
                #expect(response.status == .ok)
                return try World.json(response.body)
            }
            if ["done", "failed"].contains(body.text("status")) { return body }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("request \(id) never finished")
        return .null
    }

    /// `POST /requests` and the new request's id.
    static func submit(
        _ client: any TestClientProtocol, _ headers: HTTPFields, type: String = "needs", clientID: String = "acme"
    ) async throws -> String {
        try await client.executeDocumented(
            uri: "/requests", method: .post, headers: headers,
            body: World.body(#"{"type":"\#(type)","client":"\#(clientID)","parameters":{"topic":"Q4 plans"}}"#)
        ) { response in
            #expect(response.status == .accepted)
            let body = try World.json(response.body)
            #expect(body.text("status") == "queued")
            let id = try #require(body.text("id"))
            #expect(response.headers[.location] == "/requests/\(id)")
            return id
        }
    }

    @Test("POST answers 202 with a queued request that the background task answers: polled until done")
    func aRequestIsAnsweredInTheBackground() async throws {
        let world = try await World.make()
        try await world.test { client in
            for type in ["needs", "client-intelligence", "next-best-actions"] {
                let id = try await Self.submit(client, world.admin, type: type)
                let done = try await Self.finished(client, id, world.admin)
                #expect(done.text("status") == "done")
                #expect(done["result"]?.objectValue?.isEmpty == false)
                #expect(done.text("prompt")?.hasSuffix("@1") == true)
                #expect(done["parameters"]?["topic"] == "Q4 plans")
                #expect(done.text("requested_by") == RoleTestUsers.admin)
                #expect(done.text("started_at") != nil && done.text("finished_at") != nil)
            }
        }
    }

    @Test("a provider whose answers never validate leaves the request failed with the error's code")
    func aFailingProviderFailsTheRequest() async throws {
        let notJSON = HTTPResponseData(
            status: 200,
            text: #"{"id":"1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"no JSON"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3}}"#)
        let world = try await World.make(
            configuration: "version: 1\nproviders:\n  local:\n    kind: openai-compatible\n    base_url: http://model.invalid/v1\n",
            overrides: ModelOverrides(provider: "local", model: "m"), transport: MockTransport { _ in notJSON })
        try await world.test { client in
            let id = try await Self.submit(client, world.admin)
            let failed = try await Self.finished(client, id, world.admin)
            #expect(failed.text("status") == "failed")
            #expect(failed["error"]?.text("code") == "output.invalid")
            #expect(failed["result"] == nil)
        }
    }

    @Test func refusalsNameWhatWasWrong() async throws {
        let world = try await World.make()
        try await world.test { client in
            func refused(_ body: String, _ headers: HTTPFields, status: HTTPResponse.Status, code: String) async throws {
                try await client.executeDocumented(uri: "/requests", method: .post, headers: headers, body: World.body(body)) {
                    #expect($0.status == status, "\(body)")
                    #expect(World.errorCode($0.body) == code, "\(body)")
                }
            }
            try await refused(#"{"type":"horoscope","client":"acme"}"#, world.admin, status: .badRequest, code: "request.type")
            try await refused(#"{"type":"needs","client":"no-such-co"}"#, world.admin, status: .notFound, code: "client.not-found")
            // A member asking about a client they do not own: the same 404 as a missing client.
            try await refused(#"{"type":"needs","client":"acme"}"#, world.member, status: .notFound, code: "client.not-found")
            try await client.executeDocumented(uri: "/requests", method: .post, body: World.body(#"{"type":"needs","client":"acme"}"#)) {
                #expect($0.status == .unauthorized)
            }
            try await client.executeDocumented(uri: "/requests/req-missing", method: .get, headers: world.admin) {
                #expect($0.status == .notFound)
                #expect(World.errorCode($0.body) == "request.not-found")
            }
            try await client.executeDocumented(uri: "/requests?limit=0", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
            }
            try await client.executeDocumented(uri: "/requests?cursor=nonsense", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test("GET /requests lists the caller's own; another member gets 404 on it, the team's manager sees it")
    func requestsBelongToTheRequesterAndTheirScope() async throws {
        let world = try await World.make()
        try await world.test { client in
            let first = try await Self.submit(client, world.admin)
            let second = try await Self.submit(client, world.admin, clientID: "globex")
            _ = try await Self.finished(client, first, world.admin)
            _ = try await Self.finished(client, second, world.admin)
            let page = try await client.executeDocumented(uri: "/requests?limit=1", method: .get, headers: world.admin) {
                try World.json($0.body)
            }
            #expect(page.items.count == 1)
            let cursor = try #require(page["next_cursor"]?.stringValue)
            let rest = try await client.executeDocumented(uri: "/requests?cursor=\(cursor)", method: .get, headers: world.admin) {
                try World.json($0.body)
            }
            #expect(rest["next_cursor"] == .null)
            #expect(Set((page.items + rest.items).compactMap { $0.text("id") }) == [first, second])

            try await client.executeDocumented(uri: "/requests", method: .get, headers: world.manager) {
                #expect(World.parsed($0).items.isEmpty)
            }
            try await client.executeDocumented(uri: "/requests/\(first)", method: .get, headers: world.manager) {
                #expect($0.status == .ok)
            }
            try await client.executeDocumented(uri: "/requests/\(first)", method: .get, headers: world.member) {
                #expect($0.status == .notFound)
                #expect(World.errorCode($0.body) == "request.not-found")
            }
        }
    }
}
