import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// Memory (remember, forget, list) and the daily plan over the demo store as maria (an admin who owns acme; leo, a member, is refused
/// tom's globex). Every response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct MemoryRoutesTests {
    typealias World = RouteTestWorld

    @Test func rememberReplaceListAndForget() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/clients/acme/memory", method: .post, headers: world.auth,
                body: World.body(#"{"text":"Jane prefers calls after 3pm","key":"call-time","kind":"preference"}"#)
            ) { response in
                #expect(response.status == .created)
                let remembered = try World.json(response.body)
                #expect(remembered["created"] == .bool(true))
                #expect(remembered["item"]?.text("key") == "call-time")
                #expect(remembered["item"]?.text("source") == "user")
            }
            try await client.executeDocumented(
                uri: "/clients/acme/memory", method: .post, headers: world.auth,
                body: World.body(#"{"text":"Jane prefers calls before noon","key":"call-time","kind":"preference"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["created"] == .bool(false))
            }
            try await client.executeDocumented(uri: "/clients/acme/memory", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let items = try World.json(response.body).items.filter { $0.text("key") == "call-time" }
                #expect(items.count == 1)
                #expect(items.first?.text("value") == "Jane prefers calls before noon")
            }
            try await client.executeDocumented(uri: "/clients/acme/memory/call-time", method: .delete, headers: world.auth) {
                response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("key") == "call-time")
            }
            try await client.executeDocumented(uri: "/clients/acme/memory/call-time", method: .delete, headers: world.auth) {
                response in
                #expect(response.status == .notFound)
                #expect(World.errorCode(response) == "store.memory-key-not-found")
            }
            #expect(try world.runtime.memory.list(clientID: "acme", as: .anonymous).allSatisfy { $0.key != "call-time" })
        }
    }

    @Test func memoryRefusesBadBodiesAndOtherPeoplesClients() async throws {
        let world = try await World.make()
        try world.runtime.memory.remember(clientID: "globex", text: "Hank reads email at night", key: "hank", as: .anonymous)
        try await world.test { client in
            try await world.expectBadRequests(
                client, uri: "/clients/acme/memory",
                [
                    (#"{"key":"x"}"#, "request.text"), (#"{"text":"   "}"#, "store.invalid-value"),
                    (#"{"text":"x","kind":"rumour"}"#, "request.kind"),
                ])
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/memory", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
                try await client.executeDocumented(
                    uri: "/clients/\(id)/memory", method: .post, headers: leo, body: World.body(#"{"text":"x","key":"hank"}"#)
                ) { #expect($0.status == .notFound) }
                try await client.executeDocumented(uri: "/clients/\(id)/memory/hank", method: .delete, headers: leo) {
                    #expect($0.status == .notFound)
                }
            }
        }
        // Tom's memory about globex is untouched.
        #expect(try world.runtime.memory.list(clientID: "globex", as: .anonymous).first { $0.key == "hank" }?.value
            == "Hank reads email at night")
    }

    @Test func planCoversOnlyTheCallersClients() async throws {
        let world = try await World.make()
        let mine = Set(try world.store.listClients().filter { $0.ownerID == "maria" }.map(\.id))
        try await world.test { client in
            try await client.executeDocumented(uri: "/plan", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let plan = try World.json(response.body)
                #expect(plan["clients"]?.intValue == Int64(mine.count))
                let items = plan["items"]?.arrayValue ?? []
                #expect(!items.isEmpty)
                #expect(items.allSatisfy { mine.contains($0.text("client_id") ?? "") })
                #expect(plan["review"] == nil)
            }
            try await client.executeDocumented(uri: "/plan?limit=1&day=2026-09-21", method: .get, headers: world.auth) {
                response in
                #expect(response.status == .ok)
                let plan = try World.json(response.body)
                #expect((plan["items"]?.arrayValue?.count ?? 0) <= 1)
                #expect(plan.text("day")?.hasPrefix("2026-09-21T09:00:00") == true)
            }
            try await client.executeDocumented(uri: "/plan?narrative=true", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["review"]?["top_priorities"]?.arrayValue != nil)
            }
            for query in ["limit=0", "narrative=maybe", "day=tomorrow"] {
                try await client.executeDocumented(uri: "/plan?\(query)", method: .get, headers: world.auth) {
                    #expect($0.status == .badRequest, "\(query)")
                }
            }
        }
    }

    @Test func todaysStoredPlanAndAnItemMarkedDoneByHand() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/plan/today", method: .get, headers: world.auth) { response in
                #expect(response.status == .notFound)
                #expect(World.errorCode(response) == "plan.not-stored")
            }
            // The daily review writes maria's plan.
            _ = try await world.runtime.jobs.runNow(.dailyReview, owner: "test", as: .anonymous)
            var itemID: Int64 = 0
            try await client.executeDocumented(uri: "/plan/today", method: .get, headers: world.auth) { response in
                #expect(response.status == .ok)
                let plan = try World.json(response.body)
                #expect(plan.text("user_id") == "maria")
                #expect(plan["done"]?.intValue == 0)
                let items = plan["items"]?.arrayValue ?? []
                #expect(!items.isEmpty)
                #expect(items.allSatisfy { $0.text("talking_point") != nil && $0["done_at"] == nil })
                #expect(plan.text("brief_note")?.contains("no model provider") == true)
                itemID = items.first?["id"]?.intValue ?? 0
            }
            try await client.executeDocumented(uri: "/plan/items/\(itemID)/done", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                let done = try World.json(response.body)
                #expect(done["marked"] == .bool(true))
                #expect(done["item"]?.text("done_by") == "by hand (maria)")
            }
            try await client.executeDocumented(uri: "/plan/items/\(itemID)/done", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["marked"] == .bool(false))
            }
            try await client.executeDocumented(uri: "/plan/today", method: .get, headers: world.auth) { response in
                #expect(World.parsed(response)["done"]?.intValue == 1)
            }
            // A done by mistake is undone (with its event), once.
            let mark = try EventRepository(store: world.store).lastID()
            for expected in [true, false] {
                try await client.executeDocumented(uri: "/plan/items/\(itemID)/done", method: .delete, headers: world.auth) { response in
                    #expect(response.status == .ok)
                    let undone = try World.json(response.body)
                    #expect(undone["marked"] == .bool(expected))
                    #expect(undone["item"]?["done_at"] == nil && undone["item"]?["done_by"] == nil)
                }
            }
            #expect(try EventRepository(store: world.store).events(after: mark).map(\.kind) == ["plan.item-reopened"])
            try await client.executeDocumented(uri: "/plan/today", method: .get, headers: world.auth) { response in
                #expect(World.parsed(response)["done"]?.intValue == 0)
            }
            for missing in ["999999", "x"] {
                try await client.executeDocumented(uri: "/plan/items/\(missing)/done", method: .post, headers: world.auth) {
                    #expect($0.status == .notFound)
                    #expect(World.errorCode($0) == "plan.item-not-found")
                }
            }
        }
    }
}
