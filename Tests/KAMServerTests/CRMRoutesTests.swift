import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The CRM write routes over the demo store as maria (an admin who owns acme; leo, a member, is refused tom's globex). Every
/// response is checked against the OpenAPI document (`executeDocumented`).
@Suite struct CRMRoutesTests {
    typealias World = RouteTestWorld

    @Test func logAnActivityStoresItAndRescoresTheClient() async throws {
        let world = try await World.make()
        let before = try world.store.snapshot(clientID: "acme", activitiesSince: .distantPast)?.activities.count ?? 0
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/clients/acme/activities", method: .post, headers: world.auth,
                body: World.body(#"{"kind":"call","summary":"Walked Jane through the inspection plan","contact":"Jane Smith","sentiment":0.5}"#)
            ) { response in
                #expect(response.status == .created)
                let logged = try World.json(response.body)
                #expect(logged["activity"]?.text("kind") == "call")
                #expect(logged["activity"]?.text("direction") == "outbound")
                #expect(logged["activity"]?["contact_id"]?.intValue != nil)
                #expect(logged["refresh"]?["health"]?["score"]?.intValue != nil)
            }
            // A time in the future is a conflict with the clock (409), not a malformed body.
            for (body, code, status) in [
                (#"{"summary":"x"}"#, "request.kind", HTTPResponse.Status.badRequest),
                (#"{"kind":"fax","summary":"x"}"#, "request.kind", .badRequest),
                (#"{"kind":"call","summary":"  "}"#, "activity.invalid-summary", .badRequest),
                (#"{"kind":"call","summary":"x","at":"2999-01-01"}"#, "activity.invalid-at", .conflict),
                (#"{"kind":"call","summary":"x","sentiment":3}"#, "activity.invalid-sentiment", .badRequest),
                (#"{"kind":"call","summary":"x","at":"yesterday"}"#, "request.at", .badRequest),
            ] {
                try await client.executeDocumented(
                    uri: "/clients/acme/activities", method: .post, headers: world.auth, body: World.body(body)
                ) { response in
                    #expect(response.status == status, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            try await client.executeDocumented(
                uri: "/clients/acme/activities", method: .post, headers: world.auth,
                body: World.body(#"{"kind":"call","summary":"x","contact":"Nobody Known"}"#)
            ) { #expect($0.status == .conflict) }  // the client exists; it has no such contact
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(
                    uri: "/clients/\(id)/activities", method: .post, headers: leo,
                    body: World.body(#"{"kind":"note","summary":"x"}"#)
                ) { #expect($0.status == .notFound) }
            }
        }
        let after = try world.store.snapshot(clientID: "acme", activitiesSince: .distantPast)?.activities.count ?? 0
        #expect(after == before + 1)
    }

    @Test func tasksAddListDoneAndReopen() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await client.executeDocumented(
                uri: "/clients/acme/tasks", method: .post, headers: world.auth,
                body: World.body(#"{"title":"Send the revised quote","due":"2026-09-20","priority":"high"}"#)
            ) { response -> Int64 in
                #expect(response.status == .created)
                let task = try World.json(response.body)["task"]
                #expect(task?.text("status") == "open")
                #expect(task?.text("assignee") == "maria")
                #expect(task?.text("due")?.hasPrefix("2026-09-20") == true)
                return try #require(task?["id"]?.intValue)
            }
            func ids(_ query: String) async throws -> [Int64] {
                try await client.executeDocumented(uri: "/tasks\(query)", method: .get, headers: world.auth) { response in
                    #expect(response.status == .ok)
                    return try World.json(response.body).items.compactMap { $0["id"]?.intValue }
                }
            }
            #expect(try await ids("?client=acme").contains(id))
            #expect(try await ids("?status=open").contains(id))
            #expect(try await ids("?status=done") == [])
            // maria is an admin: tom's globex tasks too; leo, a member, gets only his initech's.
            let globexTasks = try world.store.tasks(clientID: "globex", includeClosed: true).compactMap(\.id)
            #expect(try await !Set(ids("?limit=500")).isDisjoint(with: globexTasks))
            let leo = try world.memberAuth()
            try await client.executeDocumented(uri: "/tasks?limit=500", method: .get, headers: leo) { response in
                let clients = Set(World.parsed(response).items.compactMap { $0.text("client_id") })
                #expect(clients.isSubset(of: ["initech"]), "\(clients)")
            }

            try await client.executeDocumented(uri: "/tasks/\(id)/done", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["task"]?.text("status") == "done")
            }
            #expect(try await ids("?status=done") == [id])
            try await client.executeDocumented(uri: "/tasks/\(id)/done", method: .post, headers: world.auth) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "task.not-pending")
            }
            try await client.executeDocumented(uri: "/tasks/\(id)/reopen", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["task"]?.text("status") == "open")
            }
            try await client.executeDocumented(uri: "/tasks/\(id)/reopen", method: .post, headers: world.auth) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "task.already-open")
            }
            for missing in ["999999", "abc"] {
                for action in ["done", "reopen"] {
                    try await client.executeDocumented(uri: "/tasks/\(missing)/\(action)", method: .post, headers: world.auth) {
                        #expect($0.status == .notFound)
                    }
                }
            }
            for (body, code, status) in [
                (#"{"title":""}"#, "task.title-missing", HTTPResponse.Status.badRequest),
                (#"{"title":"x","priority":"asap"}"#, "request.priority", .badRequest),
                (#"{"title":"x","assignee":"nobody"}"#, "task.assignee-unknown", .conflict),
                (#"{"title":"x","due":"someday"}"#, "request.due", .badRequest),
            ] {
                try await client.executeDocumented(
                    uri: "/clients/acme/tasks", method: .post, headers: world.auth, body: World.body(body)
                ) { response in
                    #expect(response.status == status, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            try await client.executeDocumented(uri: "/tasks?status=later", method: .get, headers: world.auth) {
                #expect($0.status == .badRequest)
            }
            try await client.executeDocumented(uri: "/tasks?client=globex", method: .get, headers: leo) {
                #expect($0.status == .notFound)
            }
            try await client.executeDocumented(
                uri: "/clients/globex/tasks", method: .post, headers: leo, body: World.body(#"{"title":"x"}"#)
            ) { #expect($0.status == .notFound) }
        }
    }

    @Test func dealsAddListMoveWinAndLose() async throws {
        let world = try await World.make()
        try await world.test { client in
            func add(_ name: String) async throws -> Int64 {
                try await client.executeDocumented(
                    uri: "/clients/acme/deals", method: .post, headers: world.auth,
                    body: World.body(#"{"name":"\#(name)","amount":12000,"close_date":"2026-12-01","probability":0.4}"#)
                ) { response in
                    #expect(response.status == .created)
                    let deal = try World.json(response.body)["deal"]
                    #expect(deal?.text("stage") == "prospecting")
                    #expect(deal?.text("currency") == "USD")
                    #expect(deal?["history"]?.arrayValue?.first?.text("by") == "maria")
                    return try #require(deal?["id"]?.intValue)
                }
            }
            let first = try await add("Sensor refresh")
            let second = try await add("Training days")
            try await client.executeDocumented(
                uri: "/deals/\(first)/stage", method: .post, headers: world.auth, body: World.body(#"{"stage":"proposal"}"#)
            ) { response in
                #expect(response.status == .ok)
                let write = try World.json(response.body)
                #expect(write["deal"]?.text("stage") == "proposal")
                #expect(write.text("from") == "prospecting")
                #expect(write["deal"]?["history"]?.arrayValue?.count == 2)
            }
            try await client.executeDocumented(
                uri: "/deals/\(first)/stage", method: .post, headers: world.auth, body: World.body(#"{"stage":"proposal"}"#)
            ) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "deal.same-stage")
            }
            try await client.executeDocumented(uri: "/deals/\(first)/won", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["deal"]?.text("stage") == "closed-won")
            }
            try await client.executeDocumented(uri: "/deals/\(second)/lost", method: .post, headers: world.auth) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["deal"]?.text("stage") == "closed-lost")
            }
            try await client.executeDocumented(uri: "/deals/\(first)/lost", method: .post, headers: world.auth) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "deal.closed")
            }
            func ids(_ query: String) async throws -> Set<Int64> {
                try await client.executeDocumented(uri: "/clients/acme/deals\(query)", method: .get, headers: world.auth) {
                    response in
                    #expect(response.status == .ok)
                    return Set(try World.json(response.body).items.compactMap { $0["id"]?.intValue })
                }
            }
            let all = try await ids("")
            #expect(all.isSuperset(of: [first, second]))
            #expect(try await ids("?status=closed") == [first, second])
            #expect(try await ids("?status=open") == all.subtracting([first, second]))
            try await client.executeDocumented(uri: "/clients/acme/deals?status=won", method: .get, headers: world.auth) {
                #expect($0.status == .badRequest)
            }

            for (body, code) in [
                (#"{"name":"x"}"#, "request.amount"), (#"{"name":"x","amount":-1}"#, "deal.invalid-amount"),
                (#"{"name":"","amount":1}"#, "deal.invalid-name"), (#"{"name":"x","amount":1,"stage":"closed-won"}"#, "deal.invalid-stage"),
                (#"{"name":"x","amount":1,"probability":2}"#, "deal.invalid-probability"),
                (#"{"name":"x","amount":1,"stage":"maybe"}"#, "request.stage"),
            ] {
                try await client.executeDocumented(
                    uri: "/clients/acme/deals", method: .post, headers: world.auth, body: World.body(body)
                ) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            try await client.executeDocumented(
                uri: "/deals/\(second)/stage", method: .post, headers: world.auth, body: World.body("{}")
            ) { #expect($0.status == .badRequest) }
            for missing in ["999999", "x"] {
                for action in ["won", "lost"] {
                    try await client.executeDocumented(uri: "/deals/\(missing)/\(action)", method: .post, headers: world.auth) {
                        #expect($0.status == .notFound)
                    }
                }
            }
            let leo = try world.memberAuth()  // maria is an admin; leo, a member, owns neither
            for id in ["nobody", "globex"] {
                try await client.executeDocumented(uri: "/clients/\(id)/deals", method: .get, headers: leo) {
                    #expect($0.status == .notFound)
                }
                try await client.executeDocumented(
                    uri: "/clients/\(id)/deals", method: .post, headers: leo, body: World.body(#"{"name":"x","amount":1}"#)
                ) { #expect($0.status == .notFound) }
            }
        }
    }

    @Test func aDealsOwnFieldsChangeByPatch() async throws {
        let world = try await World.make()
        try await world.test { client in
            let id = try await client.executeDocumented(
                uri: "/clients/acme/deals", method: .post, headers: world.auth,
                body: World.body(#"{"name":"Sensor refresh","amount":12000,"close_date":"2026-12-01"}"#)
            ) { try #require(try World.json($0.body)["deal"]?["id"]?.intValue) }
            try await client.executeDocumented(
                uri: "/deals/\(id)", method: .patch, headers: world.auth,
                body: World.body(#"{"name":"Sensor refresh, phase 2","amount":15000,"probability":0.7,"currency":"eur"}"#)
            ) { response in
                #expect(response.status == .ok)
                let update = try World.json(response.body)
                #expect(update["fields"]?.arrayValue?.compactMap(\.stringValue) == ["name", "amount", "currency", "probability"])
                #expect(update["deal"]?.text("name") == "Sensor refresh, phase 2" && update["deal"]?.text("currency") == "EUR")
                #expect(update["deal"]?.text("stage") == "prospecting" && update["refresh"] != nil)
            }
            try await client.executeDocumented(
                uri: "/deals/\(id)", method: .patch, headers: world.auth, body: World.body(#"{"clear":["close_date"]}"#)
            ) { response in
                #expect(response.status == .ok)
                let update = try World.json(response.body)
                #expect(update["fields"]?.arrayValue?.compactMap(\.stringValue) == ["close_date"])
                #expect(update["deal"]?["close_date"] == nil)
            }
            try await client.executeDocumented(
                uri: "/deals/\(id)", method: .patch, headers: world.auth, body: World.body(#"{"amount":15000}"#)
            ) { response in
                #expect(response.status == .ok)
                let update = try World.json(response.body)
                #expect(update["fields"]?.arrayValue?.isEmpty == true)
                #expect(update["refresh"] == nil, "nothing changed, nothing re-scored")
            }
            // An empty `clear` clears nothing: the close date is set (the document allows it, as schemathesis found).
            try await client.executeDocumented(
                uri: "/deals/\(id)", method: .patch, headers: world.auth, body: World.body(#"{"close_date":"2027-01-01","clear":[]}"#)
            ) { response in
                #expect(response.status == .ok)
                let update = try World.json(response.body)
                #expect(update["fields"]?.arrayValue?.compactMap(\.stringValue) == ["close_date"])
            }
            for body in ["{}", #"{"amount":-1}"#, #"{"name":""}"#, #"{"clear":["name"]}"#, #"{"close_date":"2027-01-01","clear":["close_date"]}"#] {
                try await client.executeDocumented(uri: "/deals/\(id)", method: .patch, headers: world.auth, body: World.body(body)) {
                    #expect($0.status == .badRequest, "\(body)")
                }
            }
            try await client.executeDocumented(uri: "/deals/\(id)/won", method: .post, headers: world.auth) { #expect($0.status == .ok) }
            try await client.executeDocumented(
                uri: "/deals/\(id)", method: .patch, headers: world.auth, body: World.body(#"{"probability":0.5}"#)
            ) { response in
                #expect(response.status == .conflict)
                #expect(World.errorCode(response) == "deal.closed")
            }
            for missing in ["999999", "x"] {
                try await client.executeDocumented(
                    uri: "/deals/\(missing)", method: .patch, headers: world.auth, body: World.body(#"{"amount":1}"#)
                ) { #expect($0.status == .notFound) }
            }
            let events = try world.runtime.events.list(kinds: [.dealUpdated], as: .anonymous)
            #expect(events.map(\.subjectID) == [String(id), String(id), String(id)], "one event a change, none for the edit that changed nothing")
        }
    }
}
