import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The lead routes as maria (an admin) and leo (a member who owns initech only); every response is checked against
/// the OpenAPI document (`executeDocumented`).
@Suite struct LeadRoutesTests {
    typealias World = RouteTestWorld

    @Test func createShowUpdateAndListALead() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/leads", method: .post, headers: world.auth,
                body: World.body(#"{"name":"Nakatomi Trading","source":"event","source_detail":"Hannover Messe","value":40000,"currency":"EUR"}"#)
            ) { response in
                #expect(response.status == .created)
                let lead = try World.json(response.body)["lead"]
                #expect(lead?.text("client") == "nakatomi-trading" && lead?.text("status") == "new")
                #expect(lead?.text("source") == "event" && lead?["value"]?.doubleValue == 40_000 && lead?.text("currency") == "EUR")
            }
            try await client.executeDocumented(
                uri: "/leads/nakatomi-trading", method: .patch, headers: world.auth,
                body: World.body(#"{"status":"qualified","reason":"met at the fair","value":45000}"#)
            ) { response in
                #expect(response.status == .ok)
                let write = try World.json(response.body)
                #expect(write["lead_transition"]?.text("to") == "qualified")
                #expect(write["lead"]?["value"]?.doubleValue == 45_000 && write["lead"]?.text("currency") == "EUR")
            }
            try await client.executeDocumented(uri: "/leads/nakatomi-trading", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let lead = try World.json(response.body)
                #expect(lead["transitions"]?.arrayValue?.map { $0.text("to") } == ["qualified"])
                #expect(lead["bant"]?["score"]?.intValue == 0)
            }
            try await client.executeDocumented(
                uri: "/leads?source=event&min_value=40000&max_score=10", method: .get, headers: world.auth
            ) { response in
                #expect(response.status == .ok)
                let page = try World.json(response.body)
                #expect(page.items.map { $0.text("client") } == ["nakatomi-trading"])
            }
            try await client.executeDocumented(uri: "/leads?min_value=9&max_value=2", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let page = try World.json(response.body)
                #expect(page.items.isEmpty)
            }
            try await client.executeDocumented(uri: "/leads?limit=3", method: .get, headers: world.auth) { response in
                let page = try World.json(response.body)
                #expect(page.items.count == 3 && page["next_cursor"]?.stringValue != nil)
            }
            try await client.executeDocumented(uri: "/leads/stats", method: .get, headers: world.auth) { response in
                let event = try World.json(response.body)["by_source"]?.arrayValue?.first { $0.text("source") == "event" }
                #expect(event?["count"]?.intValue == 1 && event?["estimated_value"]?.doubleValue == 45_000)
            }
        }
    }

    @Test func refusalsNameTheFieldAndAnotherMembersLeadIsNotFound() async throws {
        let world = try await World.make()
        try await world.test { client in
            for (uri, method, body, status, code) in [
                ("/leads/acme", HTTPRequest.Method.patch, #"{"value":-1}"#, HTTPResponse.Status.badRequest, "lead.invalid-value"),
                ("/leads/acme", .patch, #"{"source":"billboard"}"#, .badRequest, "request.source"),
                ("/leads/acme", .patch, #"{"clear":["owner"]}"#, .badRequest, "request.clear"),
                ("/leads/acme", .patch, #"{"reason":"nothing else"}"#, .badRequest, "lead.nothing-to-change"),
                ("/leads", .post, #"{"name":"Negative Co","value":-3}"#, .badRequest, "lead.invalid-value"),
                ("/leads?min_score=101", .get, nil, .badRequest, "request.min-score"),
                ("/leads/nobody", .get, nil, .notFound, "client.not-found"),
            ] as [(String, HTTPRequest.Method, String?, HTTPResponse.Status, String)] {
                try await client.executeDocumented(
                    uri: uri, method: method, headers: world.auth, body: body.map(World.body)
                ) { response in
                    #expect(response.status == status, "\(method) \(uri) \(body ?? "")")
                    #expect(World.errorCode(response) == code, "\(method) \(uri) \(body ?? "")")
                }
            }
            let leo = try world.memberAuth()
            try await client.executeDocumented(uri: "/leads/acme", method: .get, headers: leo) { #expect($0.status == .notFound) }
            try await client.executeDocumented(
                uri: "/leads/acme", method: .patch, headers: leo, body: World.body(#"{"value":5}"#)
            ) { #expect($0.status == .notFound) }
            try await client.executeDocumented(uri: "/leads", method: .get, headers: leo) { response in
                let page = try World.json(response.body)
                #expect(page.items.map { $0.text("client") } == ["initech"])
            }
        }
        #expect(try LeadRepository(store: world.store).details(clientID: "acme") == nil)
    }

    @Test func enrichThenAcceptOrRejectEachProposedField() async throws {
        let world = try await World.make()
        try await world.test { client in
            let fields = try await client.executeDocumented(uri: "/leads/acme/enrich", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                let answer = try World.json(response.body)
                #expect(answer.text("prompt") == "analysis.lead-enrichment@1" && answer["offline"]?.boolValue == true)
                return (answer["proposals"]?.arrayValue ?? []).compactMap { $0.text("field") }
            }
            #expect(fields.contains("industry") && fields.contains("icp-fit"))
            try await client.executeDocumented(uri: "/leads/acme/proposals", method: .get, headers: world.auth) { response in
                let page = try World.json(response.body)
                #expect(page.items.count == fields.count && page.items.allSatisfy { $0.text("status") == "pending" })
            }
            try await client.executeDocumented(
                uri: "/leads/acme/proposals/icp-fit/accept", method: .post, headers: world.auth
            ) { response in
                #expect(response.status == .ok)
                let decision = try World.json(response.body)
                #expect(decision["proposal"]?.text("status") == "accepted" && decision["lead"]?["icp_score"]?.intValue != nil)
            }
            try await client.executeDocumented(
                uri: "/leads/acme/proposals/industry/reject", method: .post, headers: world.auth
            ) { #expect($0.status == .ok) }
            for (uri, status, code) in [
                ("/leads/acme/proposals/industry/accept", HTTPResponse.Status.notFound, "lead.no-proposal"),
                ("/leads/acme/proposals/colour/accept", .badRequest, "request.field"),
                ("/leads/stark/enrich", .conflict, "lead.no-consent"),
            ] {
                try await client.executeDocumented(uri: uri, method: .post, headers: world.auth) { response in
                    #expect(response.status == status, "\(uri)")
                    #expect(World.errorCode(response) == code, "\(uri)")
                }
            }
        }
        #expect(try world.store.client(id: "acme")?.industry == "manufacturing", "the rejected industry was not applied")
    }
}
