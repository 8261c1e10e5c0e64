import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// `GET /feedback/low`: the drafts people rated low by prompt version, scoped like the drafts themselves; every
/// response checked against the OpenAPI document.
@Suite struct LowRatedRoutesTests {
    typealias World = RoleRouteWorld

    @Test("admins see every low-rated draft, a manager the team's, a member none of others'; bad parameters are 400")
    func lowRatedDraftsFollowTheScope() async throws {
        let world = try await World.make()
        let runtime = world.runtime
        let acme = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: ActingUser("maria"))
        try runtime.drafts.reject(acme.id, reason: "far too formal", as: .anonymous)
        let wayne = try await runtime.drafts.generate(client: try runtime.client("wayne"), kind: .checkIn, hint: nil, as: ActingUser("aisha"))
        try runtime.drafts.approve(wayne.id, as: .anonymous)
        try runtime.drafts.addFeedback(wayne.id, rating: .down, reason: "generic", as: .anonymous)
        try await world.test { client in
            func groups(_ uri: String, _ headers: HTTPFields) async throws -> [JSONValue] {
                try await client.executeDocumented(uri: uri, method: .get, headers: headers) {
                    #expect($0.status == .ok, "\(uri)")
                    return try World.json($0.body)["groups"]?.arrayValue ?? []
                }
            }
            let all = try await groups("/feedback/low", world.admin)
            #expect(all.compactMap { $0.text("prompt_id") } == ["draft.check-in", "draft.follow-up-email"])
            let followUp = try #require(all.last)
            #expect(followUp["rejected"] == 1)
            #expect(followUp["outputs"]?.arrayValue?.first?.text("draft_id") == acme.id)
            #expect(followUp["reason_words"]?.arrayValue?.compactMap { $0.text("word") } == ["far", "formal"])
            let checkIn = try #require(all.first)
            #expect(checkIn["thumbs_down"] == 1)

            let team = try await groups("/feedback/low", world.manager)
            #expect(team.compactMap { $0.text("prompt_id") } == ["draft.follow-up-email"])
            #expect(try await groups("/feedback/low", world.member).isEmpty)
            let one = try await groups("/feedback/low?prompt=draft.check-in", world.admin)
            #expect(one.compactMap { $0.text("prompt_id") } == ["draft.check-in"])

            for (uri, code) in [
                ("/feedback/low?edit_ratio=2", "request.edit-ratio"), ("/feedback/low?edit_ratio=x", "request.edit-ratio"),
                ("/feedback/low?since=yesterday", "request.since"),
            ] {
                try await client.executeDocumented(uri: uri, method: .get, headers: world.admin) {
                    #expect($0.status == .badRequest, "\(uri)")
                    #expect(World.errorCode($0.body) == code, "\(uri)")
                }
            }
            try await client.executeDocumented(uri: "/feedback/low", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
