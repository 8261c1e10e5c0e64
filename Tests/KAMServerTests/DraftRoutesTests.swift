import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct DraftRoutesTests {
    typealias World = RouteTestWorld

    /// Writes a draft through `POST /drafts` and returns its id.
    static func create(
        _ client: any TestClientProtocol, _ world: World, _ clientID: String = "acme", kind: String = "follow-up",
        hint: String = "renewal call next week"
    ) async throws -> String {
        try await client.executeDocumented(
            uri: "/drafts", method: .post, headers: world.auth,
            body: World.body(#"{"client":"\#(clientID)","kind":"\#(kind)","hint":"\#(hint)"}"#)
        ) { response in
            #expect(response.status == .created)
            return try #require(try World.json(response.body).text("id"))
        }
    }

    @Test func listFiltersByClientKindAndStatusAndPages() async throws {
        let world = try await World.make()
        try await world.test { client in
            let first = try await Self.create(client, world, "acme")
            let second = try await Self.create(client, world, "acme", kind: "check-in")
            let third = try await Self.create(client, world, "initech")
            try await client.executeDocumented(uri: "/drafts/\(second)/approve", method: .post, headers: world.auth)
            func ids(_ query: String) async throws -> [String] {
                try await client.executeDocumented(uri: "/drafts\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == .ok)
                    return try World.json(response.body).items.compactMap { $0.text("id") }
                }
            }
            #expect(try await Set(ids("")) == [first, second, third])
            #expect(try await Set(ids("?client=acme")) == [first, second])
            #expect(try await ids("?kind=check-in") == [second])
            #expect(try await Set(ids("?status=pending")) == [first, third])
            #expect(try await ids("?status=approved&client=initech") == [])

            // Two pages of two, then none: every draft once.
            let page = try await client.executeDocumented(uri: "/drafts?limit=2", method: .get, headers: world.auth) {
                try World.json($0.body)
            }
            #expect(page.items.count == 2)
            let cursor = try #require(page["next_cursor"]?.stringValue)
            let rest = try await client.executeDocumented(
                uri: "/drafts?limit=2&cursor=\(cursor)", method: .get, headers: world.auth
            ) { try World.json($0.body) }
            #expect(rest["next_cursor"] == .null)
            #expect(Set((page.items + rest.items).compactMap { $0.text("id") }) == [first, second, third])
            // A list item is a summary: no prompt or context text.
            #expect(page.items.first?["context_snapshot"] == nil)
            #expect(page.items.first?.text("subject")?.isEmpty == false)

            for (query, code) in [
                ("?status=maybe", "request.status"), ("?kind=poem", "request.kind"), ("?limit=0", "request.limit"),
                ("?cursor=nonsense", "request.cursor"),
            ] {
                try await client.executeDocumented(uri: "/drafts\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(World.errorCode(response) == code, "\(query)")
                }
            }
        }
    }

    @Test func createRefusesAnUnknownKindAnUnknownClientAndAClientWithoutConsent() async throws {
        let world = try await World.make()
        try await world.test { client in
            for (body, status) in [
                (#"{"client":"acme","kind":"poem"}"#, HTTPResponse.Status.badRequest),
                (#"{"client":"nobody-at-all"}"#, .notFound),
                (#"{"client":"stark"}"#, .forbidden),
                (#"{"kind":"follow-up"}"#, .badRequest),
            ] {
                try await client.executeDocumented(
                    uri: "/drafts", method: .post, headers: world.auth, body: World.body(body)
                ) { response in
                    #expect(response.status == status, "\(body)")
                }
            }
            #expect(try world.draftCount() == 0)
        }
    }

    @Test func showHasTheContextTheHistoryAndTheFeedback() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await Self.create(client, world)
            try await client.executeDocumented(
                uri: "/drafts/\(id)/feedback", method: .post, headers: world.auth,
                body: World.body(#"{"rating":"up","reason":"on point"}"#))
            try await client.executeDocumented(uri: "/drafts/\(id)/approve", method: .post, headers: world.auth)
            try await client.executeDocumented(uri: "/drafts/\(id)", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let detail = try World.json(response.body)
                #expect(detail["draft"]?.text("id") == id)
                #expect(detail["draft"]?.text("status") == "approved")
                #expect(detail.text("context")?.contains("Acme") == true)
                #expect(detail["history"]?.arrayValue?.compactMap { $0.text("action") } == ["created", "approve"])
                #expect(detail["feedback"]?.arrayValue?.first?.text("reason") == "on point")
            }
            try await client.executeDocumented(uri: "/drafts/d-missing", method: .get, headers: world.auth) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func anEditIsKeptBesideTheOriginalAndApprovedAsEdited() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await Self.create(client, world)
            try await client.executeDocumented(
                uri: "/drafts/\(id)", method: .patch, headers: world.auth,
                body: World.body(#"{"subject":"Renewal: next steps"}"#)
            ) { response in
                #expect(response.status == .ok)
                let draft = try World.json(response.body)
                #expect(draft["edited"]?.text("subject") == "Renewal: next steps")
                #expect(draft["edited"]?.text("body") == draft["original"]?.text("body"))
                #expect(draft["original"]?.text("subject") != "Renewal: next steps")
            }
            try await client.executeDocumented(uri: "/drafts/\(id)/approve", method: .post, headers: world.auth) {
                #expect(World.parsed($0).text("status") == "edited-and-approved")
            }
            try await client.executeDocumented(
                uri: "/drafts/\(id)", method: .patch, headers: world.auth, body: World.body(#"{"body":"late"}"#)
            ) { #expect($0.status == .conflict) }
            try await client.executeDocumented(
                uri: "/drafts/d-missing", method: .patch, headers: world.auth, body: World.body(#"{"body":"x"}"#)
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test func rejectNeedsAReasonAndAPendingDraft() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await Self.create(client, world)
            try await client.executeDocumented(
                uri: "/drafts/\(id)/reject", method: .post, headers: world.auth, body: World.body(#"{"reason":"  "}"#)
            ) { #expect($0.status == .badRequest) }
            try await client.executeDocumented(
                uri: "/drafts/\(id)/reject", method: .post, headers: world.auth, body: World.body(#"{"reason":"too long"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("reject_reason") == "too long")
            }
            try await client.executeDocumented(
                uri: "/drafts/\(id)/reject", method: .post, headers: world.auth, body: World.body(#"{"reason":"again"}"#)
            ) { #expect($0.status == .conflict) }
        }
    }

    @Test func regenerateWritesANewDraftAndRejectsThePendingOriginal() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await Self.create(client, world)
            let new = try await client.executeDocumented(
                uri: "/drafts/\(id)/regenerate", method: .post, headers: world.auth,
                body: World.body(#"{"hint":"shorter please"}"#)
            ) { response in
                #expect(response.status == .created)
                let draft = try World.json(response.body)
                #expect(draft.text("hint") == "shorter please")
                #expect(draft.text("status") == "pending")
                return try #require(draft.text("id"))
            }
            #expect(new != id)
            let old = try world.runtime.drafts.draft(id, as: .anonymous)
            #expect(old.status == .rejected)
            #expect(old.rejectReason == "regenerated as \(new)")
            // No body: the original's hint.
            try await client.executeDocumented(uri: "/drafts/\(new)/regenerate", method: .post, headers: world.auth) {
                response in
                #expect(response.status == .created)
                #expect(World.parsed(response).text("hint") == "shorter please")
            }
            try await client.executeDocumented(uri: "/drafts/d-missing/regenerate", method: .post, headers: world.auth) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func emlNeedsAnApprovedDraftAndMarkSentNeedsOneToo() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await Self.create(client, world)
            try await client.executeDocumented(uri: "/drafts/\(id)/eml", method: .get, headers: world.auth) {
                #expect($0.status == .conflict)
            }
            try await client.executeDocumented(uri: "/drafts/\(id)/sent", method: .post, headers: world.auth) {
                #expect($0.status == .conflict)
            }
            try await client.executeDocumented(uri: "/drafts/\(id)/approve", method: .post, headers: world.auth)
            let draft = try world.runtime.drafts.draft(id, as: .anonymous)
            try await client.executeDocumented(uri: "/drafts/\(id)/eml", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "message/rfc822")
                let message = String(buffer: response.body)
                #expect(message.contains("Subject: "))
                #expect(message.contains("Message-ID: <\(id)@kam.local>"))
                // The message has RFC 5322 CRLF line ends; the stored body has LF ones.
                #expect(message.replacingOccurrences(of: "\r\n", with: "\n").contains(draft.final.body.prefix(20)))
            }
            try await client.executeDocumented(uri: "/drafts/\(id)/sent", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("status") == "sent")
            }
            try await client.executeDocumented(uri: "/drafts/\(id)/sent", method: .post, headers: world.auth) {
                #expect($0.status == .conflict)
            }
            try await client.executeDocumented(uri: "/drafts/d-missing/eml", method: .get, headers: world.auth) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func bulkApproveAndRejectReportEachDraft() async throws {
        let world = try await World.make()
        try await world.test { client in
            let a = try await Self.create(client, world)
            let b = try await Self.create(client, world, "initech")
            let c = try await Self.create(client, world)
            try await client.executeDocumented(
                uri: "/drafts/bulk/approve", method: .post, headers: world.auth,
                body: World.body(#"{"ids":["\#(a)","d-missing","\#(b)","\#(a)"]}"#)
            ) { response in
                #expect(response.status == .ok)
                let outcomes = try World.json(response.body)["outcomes"]?.arrayValue ?? []
                #expect(outcomes.compactMap { $0.text("id") } == [a, "d-missing", b, a])
                #expect(outcomes.map { $0["succeeded"] } == [.bool(true), .bool(false), .bool(true), .bool(false)])
                #expect(outcomes[1].text("error")?.contains("d-missing") == true)
            }
            try await client.executeDocumented(
                uri: "/drafts/bulk/reject", method: .post, headers: world.auth, body: World.body(#"{"ids":["\#(c)"]}"#)
            ) { #expect($0.status == .badRequest) }
            try await client.executeDocumented(
                uri: "/drafts/bulk/reject", method: .post, headers: world.auth,
                body: World.body(#"{"ids":["\#(c)","\#(a)"],"reason":"not now"}"#)
            ) { response in
                let outcomes = try World.json(response.body)["outcomes"]?.arrayValue ?? []
                #expect(outcomes.map { $0["succeeded"] } == [.bool(true), .bool(false)])
            }
            #expect(try world.runtime.drafts.draft(c, as: .anonymous).status == .rejected)
            try await client.executeDocumented(
                uri: "/drafts/bulk/approve", method: .post, headers: world.auth, body: World.body(#"{"ids":[]}"#)
            ) { #expect($0.status == .badRequest) }
        }
    }
}
