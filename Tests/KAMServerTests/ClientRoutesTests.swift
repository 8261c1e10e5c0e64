import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The client routes over the demo store as maria (an admin who owns acme; leo, a member, is refused
/// tom's globex). Every response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct ClientRoutesTests {
    typealias World = RouteTestWorld

    @Test func listFiltersByTextOwnerLeadStatusAndHealthBandAndPages() async throws {
        let world = try await World.make()
        try await world.test { client in
            func ids(_ query: String) async throws -> [String] {
                try await client.executeDocumented(uri: "/clients\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == .ok)
                    return try World.json(response.body).items.compactMap { $0.text("id") }
                }
            }
            let all = try await ids("")
            #expect(all.contains("acme"))
            #expect(all.contains("globex"), "maria is an admin: she sees tom's globex too")
            try await client.executeDocumented(uri: "/clients", method: .get, headers: world.memberAuth()) { response in
                #expect(World.parsed(response).items.compactMap { $0.text("id") } == ["initech"], "leo, a member, sees his own")
            }
            #expect(try await ids("?q=acme") == ["acme"])
            #expect(try await ids("?q=jane.smith") == ["acme"])  // a contact's email
            #expect(try await Set(ids("?owner=maria")) == Set(all.filter { id in
                (try? world.store.client(id: id)?.ownerID) == "maria"
            }))
            let acme = try #require(try world.store.client(id: "acme"))
            #expect(try await ids("?lead_status=\(acme.leadStatus.rawValue)").contains("acme"))
            let band = try world.runtime.clients.health("acme", as: .anonymous).current.band
            #expect(try await ids("?health_band=\(band.rawValue)").contains("acme"))
            let other = HealthBand.allCases.first { $0 != band }!
            #expect(try await !ids("?health_band=\(other.rawValue)").contains("acme"))

            // Pages of one: every client once, in the same order, then a null cursor.
            var paged: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.executeDocumented(
                    uri: "/clients?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get, headers: world.auth
                ) { try World.json($0.body) }
                #expect(page.items.count == 1)
                paged += page.items.compactMap { $0.text("id") }
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil && paged.count <= all.count
            #expect(paged == all)
        }
    }

    @Test func listRefusesUnknownFilterValuesAndBadPaging() async throws {
        let world = try await World.make()
        try await world.test { client in
            // A malformed filter is a 400; an owner who is no user is not found (404), as the document says.
            for (query, code, status) in [
                ("health_band=great", "request.health-band", HTTPResponse.Status.badRequest),
                ("lead_status=hot", "request.lead-status", .badRequest), ("limit=0", "request.limit", .badRequest),
                ("limit=501", "request.limit", .badRequest), ("cursor=zzz", "request.cursor", .badRequest),
                ("owner=nobody", "client.owner-unknown", .notFound),
            ] {
                try await client.executeDocumented(uri: "/clients?\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == status, "\(query)")
                    #expect(World.errorCode(response) == code, "\(query)")
                }
            }
        }
    }

    @Test func profileHasThePeopleDealsTasksAndMemoryAndOutOfScopeIs404() async throws {
        let world = try await World.make()
        try world.runtime.users.setTimeZone("maria", to: "Europe/Berlin", as: .anonymous)
        try await world.test { client in
            try await client.executeDocumented(uri: "/clients/acme", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let profile = try World.json(response.body)
                #expect(profile["client"]?.text("id") == "acme")
                #expect(profile["client"]?.text("owner_id") == "maria")
                #expect(profile["owner"]?.text("id") == "maria")
                #expect(profile["owner"]?.text("time_zone") == "Europe/Berlin", "the owner's own zone")
                #expect(profile["contacts"]?.arrayValue?.contains { $0.text("name") == "Jane Smith" } == true)
                #expect(profile["open_deals"]?.arrayValue?.isEmpty == false)
                #expect(profile["pending_tasks"]?.arrayValue?.isEmpty == false)
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)", method: .get, headers: leo) { response in
                    #expect(response.status == .notFound)
                    #expect(World.errorCode(response) == "client.not-found")
                }
            }
        }
    }

    @Test func addThenUpdateAClient() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/clients", method: .post, headers: world.auth,
                body: World.body(
                    #"{"name":"Nakatomi Trading","tier":"professional","domain":"nakatomi.example","owner":"maria","renewal_date":"2027-01-15"}"#)
            ) { response in
                #expect(response.status == .created)
                let write = try World.json(response.body)
                #expect(write["created"] == .bool(true))
                #expect(write["client"]?.text("id") == "nakatomi-trading")
                #expect(write["client"]?.text("renewal_date")?.hasPrefix("2027-01-15") == true)
                #expect(write["refresh"]?["health"]?["score"]?.intValue != nil)
            }
            #expect(try world.store.client(id: "nakatomi-trading")?.tier == .professional)
            try await client.executeDocumented(
                uri: "/clients/nakatomi-trading", method: .patch, headers: world.auth,
                body: World.body(#"{"lead_status":"qualified","reason":"budget confirmed","clear":["domain"]}"#)
            ) { response in
                #expect(response.status == .ok)
                let write = try World.json(response.body)
                #expect(write["client"]?.text("lead_status") == "qualified")
                #expect(write["client"]?["domain"] == nil)
                #expect(write["lead_transition"]?.text("to") == "qualified")
            }
            #expect(try world.store.client(id: "nakatomi-trading")?.domain == nil)
        }
    }

    @Test func addAndUpdateRefuseBadBodiesAndUnknownClients() async throws {
        let world = try await World.make()
        try await world.test { client in
            // What the document forbids is a 400; a taken id or an owner who is no user is a conflict with the store (409).
            for (body, code, status) in [
                (#"{"tier":"gold","name":"X"}"#, "request.tier", HTTPResponse.Status.badRequest),
                (#"{"industry":"x"}"#, "client.name-missing", .badRequest), (#"{"name":"Acme","id":"acme"}"#, "client.exists", .conflict),
                (#"{"name":"Acme"}"#, "client.exists", .conflict), (#"{"name":"Y","renewal_date":"soon"}"#, "request.renewal-date", .badRequest),
                (#"{"name":"Z","currency":"dollars"}"#, "client.invalid-currency", .badRequest),
                (#"{"name":"Z","owner":"nobody"}"#, "client.invalid-owner", .conflict),
                (#"{"name":"Z","domain":null}"#, "request.invalid-json", .badRequest),
                (#"{"name":"Z","domain":"\#(String(repeating: "a", count: 64)).example"}"#, "client.invalid-domain", .badRequest),
                (#"{"name":"Z","domain":"\#(String(repeating: "ü", count: 64)).example"}"#, "client.invalid-domain", .badRequest),
            ] {
                try await client.executeDocumented(uri: "/clients", method: .post, headers: world.auth, body: World.body(body)) {
                    response in
                    #expect(response.status == status, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            try await client.executeDocumented(
                uri: "/clients", method: .post, headers: world.auth, body: World.body(#"{"name": "#)
            ) { #expect($0.status == .badRequest) }
            try await client.executeDocumented(
                uri: "/clients/acme", method: .patch, headers: world.auth, body: World.body("{}")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(World.errorCode(response) == "client.nothing-to-change")
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(
                    uri: "/clients/\(id)", method: .patch, headers: leo, body: World.body(#"{"industry":"x"}"#)
                ) { #expect($0.status == .notFound) }
            }
            #expect(try world.store.client(id: "globex")?.industry == "logistics")
        }
    }

    @Test func contactsListAndAdd() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/clients/acme/contacts", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let names = try World.json(response.body).items.compactMap { $0.text("name") }
                #expect(names.contains("Jane Smith") && names.contains("Bob Lee"))
            }
            try await client.executeDocumented(
                uri: "/clients/acme/contacts", method: .post, headers: world.auth,
                body: World.body(#"{"name":"Ada Park","email":"Ada@Acme.example","role":"champion"}"#)
            ) { response in
                #expect(response.status == .created)
                let write = try World.json(response.body)
                #expect(write["contact"]?.text("email") == "ada@acme.example")
                #expect(write["contact"]?.text("role") == "champion")
            }
            #expect(try world.store.contacts(clientID: "acme").contains { $0.name == "Ada Park" })
            // Lengths count characters, as the document does: 64 'é' before the '@' (128 bytes) and a 63-'ü' label are
            // an address (issue #12's schemathesis finding); a domain longer than 63 characters is a client's domain too.
            let long = String(repeating: "é", count: 64) + "@" + String(repeating: "ü", count: 63) + ".example"
            try await client.executeDocumented(
                uri: "/clients/acme/contacts", method: .post, headers: world.auth,
                body: World.body(#"{"name":"Long Name","email":"\#(long)"}"#)
            ) { #expect($0.status == .created) }
            let domain = "sales.north-america.\(String(repeating: "ü", count: 63)).example"
            try await client.executeDocumented(
                uri: "/clients/acme", method: .patch, headers: world.auth, body: World.body(#"{"domain":"\#(domain)"}"#)
            ) { #expect($0.status == .ok) }
            try await world.expectBadRequests(
                client, uri: "/clients/acme/contacts",
                [
                    (#"{"email":"x@acme.example"}"#, "contact.name-missing"), (#"{"name":"X","role":"boss"}"#, "request.role"),
                    (#"{"name":"X","email":"not-an-address"}"#, "contact.invalid-email"),
                    (#"{"name":"X","email":"\#(String(repeating: "é", count: 65))@acme.example"}"#, "contact.invalid-email"),
                    (#"{"name":"X","email":"a\#u{3000}b@acme.example"}"#, "contact.invalid-email"),
                ])
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/contacts", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
                try await client.executeDocumented(
                    uri: "/clients/\(id)/contacts", method: .post, headers: leo, body: World.body(#"{"name":"Eve"}"#)
                ) { #expect($0.status == .notFound) }
            }
            #expect(try !world.store.contacts(clientID: "globex").contains { $0.name == "Eve" })
        }
    }

    @Test func timelineIsNewestFirstWithTheInboundEmailAndPages() async throws {
        let world = try await World.make()
        // Twelve more activities, a day apart, so the timeline needs pages.
        for day in 1...12 {
            try world.runtime.activities.log(
                ActivityService.Entry(
                    clientID: "acme", kind: .note, at: World.now.addingTimeInterval(-Double(day) * 86_400 + 3600),
                    summary: "note \(day)"),
                as: .anonymous)
        }
        let eml = """
            From: Jane Smith <jane.smith@acme.example>
            To: maria.lopez@kam.example
            Subject: Inspection dates
            Message-ID: <timeline-1@acme.example>
            Date: Thu, 03 Sep 2026 08:00:00 +0000

            Could you send the inspection schedule by Friday?
            """
        _ = try await world.runtime.email.ingest(
            .bytes(Array(eml.replacingOccurrences(of: "\n", with: "\r\n").utf8)), as: .anonymous)
        try await world.test { client in
            var items: [JSONValue] = []
            var cursor: String?
            repeat {
                let page = try await client.executeDocumented(
                    uri: "/clients/acme/timeline?limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get,
                    headers: world.auth
                ) { response in
                    #expect(response.status == .ok)
                    return try World.json(response.body)
                }
                #expect(page.items.count <= 5)
                items += page.items
                cursor = page["next_cursor"]?.stringValue
            } while cursor != nil && items.count < 100
            let times = items.compactMap { $0.text("at") }
            #expect(times.count == items.count)
            #expect(times == times.sorted(by: >))
            let activityIDs = items.compactMap { $0["activity"]?["id"]?.intValue }
            #expect(Set(activityIDs).count == activityIDs.count)
            let stored = try world.store.snapshot(clientID: "acme", activitiesSince: .distantPast)?.activities.count ?? 0
            #expect(activityIDs.count == stored)
            let email = try #require(items.first { $0["email"] != nil }?["email"])
            #expect(email.text("message_id") == "timeline-1@acme.example")
            #expect(email.text("subject") == "Inspection dates")

            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/timeline", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test func contextOfAcmeFitsTheBudget() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/clients/acme/context?budget=2000", method: .get, headers: world.auth) {
                response in
                #expect(response.status == .ok)
                let context = try World.json(response.body)
                #expect(context.text("clientID") == "acme")
                #expect((context["totalTokens"]?.intValue ?? .max) <= 2000)
            }
            try await client.executeDocumented(uri: "/clients/acme/context?budget=-3", method: .get, headers: world.auth) {
                #expect($0.status == .badRequest)
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/context", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
            }
        }
    }

    @Test func healthHasTheFactorsAndTheHistoryAndRecordsNothing() async throws {
        let world = try await World.make()
        // One write scores acme and records it: the history holds one score.
        try world.runtime.memory.remember(clientID: "acme", text: "Prefers calls after 3pm", as: .anonymous)
        try world.runtime.activities.log(
            ActivityService.Entry(clientID: "acme", kind: .call, summary: "Checked in"), as: .anonymous)
        let recorded = try world.runtime.health.history(clientID: "acme", as: .anonymous).count
        try await world.test { client in
            try await client.executeDocumented(uri: "/clients/acme/health", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let health = try World.json(response.body)
                #expect(health["current"]?["factors"]?.arrayValue?.count == 4)
                #expect(health["current"]?["factors"]?.arrayValue?.allSatisfy { $0.text("explanation")?.isEmpty == false } == true)
                #expect(health["history"]?.arrayValue?.count == recorded)
                #expect(HealthBand(rawValue: health["current"]?.text("band") ?? "") != nil)
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/health", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
            }
        }
        #expect(try world.runtime.health.history(clientID: "acme", as: .anonymous).count == recorded)
    }

    @Test func needsAndIntelligenceRunTheirPromptsOffline() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/clients/acme/needs", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                let analysis = try World.json(response.body)
                #expect(analysis.text("prompt")?.hasPrefix("analysis.needs@") == true)
                #expect(analysis["is_offline"] == .bool(true))
                #expect(analysis["output"]?["predicted_needs"]?.arrayValue != nil)
            }
            try await client.executeDocumented(uri: "/clients/acme/intelligence", method: .post, headers: world.auth) {
                response in
                #expect(response.status == .ok)
                let analysis = try World.json(response.body)
                #expect(analysis.text("prompt")?.hasPrefix("analysis.client-intelligence@") == true)
                #expect(analysis["output"]?["communication_pattern"]?.text("preferred_channel") != nil)
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                for kind in ["needs", "intelligence"] {
                    try await client.executeDocumented(uri: "/clients/\(id)/\(kind)", method: .post, headers: leo) {
                        #expect($0.status == .notFound)
                    }
                }
            }
        }
    }
}
