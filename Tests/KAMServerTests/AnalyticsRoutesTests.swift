import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct AnalyticsRoutesTests {
    typealias World = RoleRouteWorld

    static let routes = [
        "/analytics/drafts", "/analytics/suggestions", "/analytics/cost", "/analytics/experiments", "/analytics/time-saved",
    ]

    @Test("a member gets 403 auth.role naming the role needed on every analytics route; no key is 401")
    func membersAreRefused() async throws {
        let world = try await World.make()
        try await world.test { client in
            for uri in Self.routes {
                try await client.executeDocumented(uri: uri, method: .get, headers: world.member) { response in
                    #expect(response.status == .forbidden, "\(uri)")
                    #expect(World.errorCode(response.body) == "auth.role")
                    #expect(String(buffer: response.body).contains("manager or admin"))
                }
                try await client.executeDocumented(uri: uri, method: .get) { #expect($0.status == .unauthorized) }
            }
        }
    }

    @Test("drafts, suggestions, cost and experiments answer managers (their team's) and admins (everything)")
    func managersSeeTheirTeamAndAdminsEverything() async throws {
        let world = try await World.make()
        let runtime = world.runtime
        try runtime.experiments.start(.init(id: "fu-ab", promptID: "draft.follow-up-email", variants: "1,production"), as: .anonymous)
        let acme = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: ActingUser("maria"))
        try runtime.drafts.approve(acme.id, as: .anonymous)
        let wayne = try await runtime.drafts.generate(client: try runtime.client("wayne"), kind: .checkIn, hint: nil, as: ActingUser("aisha"))
        try runtime.drafts.reject(wayne.id, reason: "no", as: .anonymous)
        _ = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        try await world.test { client in
            let all = try await client.executeDocumented(uri: "/analytics/drafts", method: .get, headers: world.admin) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(all["total"]?["drafts"] == 2)
            #expect(all["total"]?["acceptance_rate"]?.doubleValue == 0.5)
            #expect(all["by_kind"]?.arrayValue?.compactMap { $0.text("kind") } == ["check-in", "follow-up"])
            let team = try await client.executeDocumented(uri: "/analytics/drafts", method: .get, headers: world.manager) {
                try World.json($0.body)
            }
            #expect(team["total"]?["drafts"] == 1)
            #expect(team["total"]?["acceptance_rate"]?.doubleValue == 1)
            #expect(team["by_prompt_version"]?.arrayValue?.first?.text("prompt_id") == "draft.follow-up-email")
            let saved = try await client.executeDocumented(uri: "/analytics/time-saved", method: .get, headers: world.admin) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(saved["total"]?["drafts"] == 1)
            #expect(saved["by_user"]?.arrayValue?.compactMap { $0.text("key") } == ["maria"])
            #expect((saved["total"]?["saved_minutes"]?.doubleValue ?? 0) > 0)
            try await client.executeDocumented(uri: "/analytics/time-saved?since=soon", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
            }

            try await client.executeDocumented(uri: "/analytics/suggestions", method: .get, headers: world.manager) {
                #expect($0.status == .ok)
                #expect(World.parsed($0).items.count >= SuggestionType.allCases.count)
            }

            let cost = try await client.executeDocumented(uri: "/analytics/cost?by=user", method: .get, headers: world.admin) {
                try World.json($0.body)
            }
            #expect(cost.text("by") == "user")
            #expect(cost.items.compactMap { $0.text("key") } == ["aisha", "maria"])
            try await client.executeDocumented(uri: "/analytics/cost?by=user", method: .get, headers: world.manager) {
                #expect(World.parsed($0).items.compactMap { $0.text("key") } == ["maria"])
            }
            try await client.executeDocumented(uri: "/analytics/cost?since=2099-01-01", method: .get, headers: world.admin) {
                #expect(World.parsed($0).items.isEmpty)
            }

            let experiments = try await client.executeDocumented(uri: "/analytics/experiments", method: .get, headers: world.admin) {
                try World.json($0.body)
            }
            #expect(experiments.items.first?["experiment"]?.text("id") == "fu-ab")
            #expect(experiments.items.first?["tally"]?["variants"]?.arrayValue?.count == 2)
        }
    }

    @Test func badQueriesAre400sNamingTheValue() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/analytics/cost?by=week", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
                #expect(World.errorCode($0.body) == "request.by")
                #expect(String(buffer: $0.body).contains("day, model, prompt, client, user"))
            }
            try await client.executeDocumented(uri: "/analytics/drafts?since=yesterday", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
                #expect(World.errorCode($0.body) == "request.since")
            }
        }
    }
}
