import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// Users over HTTP: maria (an admin) lists every user and sets leo's time zone, which his daily review then runs in; leo
/// (a member) sees only himself and may not set a zone. Every response is checked against the OpenAPI document.
@Suite struct UserRoutesTests {
    typealias World = RouteTestWorld

    @Test func anAdminSetsAUsersTimeZoneAndEachUserSeesOnlyWhomTheyMay() async throws {
        let world = try await World.make()
        let leo = try world.memberAuth()
        let everyone = try world.runtime.users.list().map(\.id)
        try await world.test { client in
            func ids(_ headers: HTTPFields) async throws -> [String] {
                try await client.executeDocumented(uri: "/users", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    return try World.json(response.body).items.compactMap { $0.text("id") }
                }
            }
            #expect(try await ids(world.auth) == everyone)
            #expect(try await ids(leo) == ["leo"])
            try await client.executeDocumented(
                uri: "/users/leo", method: .patch, headers: world.auth, body: World.body(#"{"time_zone":"Europe/Berlin"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("time_zone") == "Europe/Berlin")
                #expect(World.parsed(response).text("role") == "member")
            }
            #expect(try world.runtime.users.timeZone(of: "leo").identifier == "Europe/Berlin", "his daily review runs there")
            try await client.executeDocumented(uri: "/users/leo", method: .get, headers: leo) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("time_zone") == "Europe/Berlin")
            }
            try await client.executeDocumented(uri: "/users/maria", method: .get, headers: leo) { #expect($0.status == .notFound) }
            try await client.executeDocumented(
                uri: "/users/leo", method: .patch, headers: leo, body: World.body(#"{"time_zone":"Asia/Tokyo"}"#)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(World.errorCode(response) == "auth.role")
            }
            try await client.executeDocumented(
                uri: "/users/leo", method: .patch, headers: world.auth, body: World.body(#"{"clear":["time_zone"]}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response)["time_zone"] == nil, "the configured zone again")
            }
            for (body, code) in [
                ("{}", "request.time-zone"), (#"{"time_zone":"Europe/Berlin","clear":["time_zone"]}"#, "request.time-zone"),
                (#"{"clear":["name"]}"#, "request.clear"), (#"{"time_zone":"Mars/Olympus_Mons"}"#, "user.invalid-time-zone"),
            ] {
                try await client.executeDocumented(uri: "/users/leo", method: .patch, headers: world.auth, body: World.body(body)) {
                    response in
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            try await client.executeDocumented(
                uri: "/users/nobody", method: .patch, headers: world.auth, body: World.body(#"{"time_zone":"UTC"}"#)
            ) { #expect($0.status == .notFound) }
            try await client.executeDocumented(uri: "/users/nobody", method: .get, headers: world.auth) { #expect($0.status == .notFound) }
        }
    }

    @Test func anAdminAddsAndDisablesUsersAndADisabledUsersKeysAndSessionsAreRefusedAtOnce() async throws {
        let world = try await World.make()
        let leo = try world.memberAuth()
        let tom: HTTPFields = [
            .authorization: "Bearer \(try APIKeyRepository(store: world.store).create(userID: "tom", now: World.now).plaintext)"
        ]
        try await world.test { client in
            let ana = #"{"id":"ana","name":"Ana Lima","email":"ana@example.com","team":"enterprise","time_zone":"America/Sao_Paulo"}"#
            try await client.executeDocumented(uri: "/users", method: .post, headers: world.auth, body: World.body(ana)) { response in
                #expect(response.status == .created)
                let added = World.parsed(response)
                #expect(added.text("id") == "ana" && added.text("role") == "member" && added.text("team") == "enterprise")
                #expect(added.text("time_zone") == "America/Sao_Paulo")
            }
            #expect(try world.runtime.users.account("ana").email == "ana@example.com")
            let refusals: [(body: String, status: HTTPResponse.Status, code: String)] = [
                (ana, .conflict, "user.exists"),
                (#"{"id":"ana-two","name":"Ana","email":"ana@example.com"}"#, .conflict, "user.exists"),
                (#"{"id":"bo","name":"Bo","email":"bo@example.com","team":"nowhere"}"#, .notFound, "team.not-found"),
                (#"{"id":"bo","name":"Bo","email":"bo@example.com","role":"manager"}"#, .badRequest, "user.manager-without-team"),
                (#"{"id":"bo ","name":"Bo","email":"bo@example.com"}"#, .badRequest, "request.id"),
                (#"{"id":"bo","name":"Bo","email":"bo@example.com","time_zone":"Mars/Olympus_Mons"}"#, .badRequest, "user.invalid-time-zone"),
            ]
            for (body, status, code) in refusals {
                try await client.executeDocumented(uri: "/users", method: .post, headers: world.auth, body: World.body(body)) {
                    response in
                    #expect(response.status == status, "\(body)")
                    #expect(World.errorCode(response) == code, "\(body)")
                }
            }
            // A member and a manager are refused as on every admin-only route: 403 auth.role, nothing written.
            let adminOnly: [(uri: String, method: HTTPRequest.Method, body: String)] = [
                ("/users", .post, #"{"id":"eve","name":"Eve","email":"eve@example.com"}"#),
                ("/users/ana", .patch, #"{"disabled":true}"#), ("/users/ana", .patch, #"{"time_zone":"UTC"}"#),
            ]
            for headers in [leo, tom] {
                for (uri, method, body) in adminOnly {
                    try await client.executeDocumented(uri: uri, method: method, headers: headers, body: World.body(body)) {
                        response in
                        #expect(response.status == .forbidden, "\(method) \(uri)")
                        #expect(World.errorCode(response) == "auth.role", "\(method) \(uri)")
                    }
                }
            }
            #expect(try world.runtime.users.list().contains { $0.id == "eve" } == false)
            #expect(try world.runtime.users.account("ana").isDisabled == false)

            // Ana's key and web session work until she is disabled, and are refused from the next request on.
            let key = try APIKeyRepository(store: world.store).create(userID: "ana", now: World.now).plaintext
            let session = try world.runtime.webSessions.signIn(apiKey: key).token
            let asKey: HTTPFields = [.authorization: "Bearer \(key)"]
            let asSession: HTTPFields = [.cookie: "kam_session=\(session)"]
            for headers in [asKey, asSession] {
                try await client.executeDocumented(uri: "/users/ana", method: .get, headers: headers) { #expect($0.status == .ok) }
            }
            try await client.executeDocumented(
                uri: "/users/ana", method: .patch, headers: world.auth, body: World.body(#"{"disabled":true}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(World.parsed(response).text("disabled_at") != nil)
            }
            for headers in [asKey, asSession] {
                try await client.executeDocumented(uri: "/users/ana", method: .get, headers: headers) { #expect($0.status == .unauthorized) }
            }
            let disabling: [(uri: String, body: String, status: HTTPResponse.Status, code: String)] = [
                ("/users/ana", #"{"disabled":true}"#, .conflict, "user.disabled"),
                ("/users/maria", #"{"disabled":true}"#, .conflict, "user.self-disable"),
                ("/users/leo", #"{"disabled":false}"#, .badRequest, "request.disabled"),
            ]
            for (uri, body, status, code) in disabling {
                try await client.executeDocumented(uri: uri, method: .patch, headers: world.auth, body: World.body(body)) { response in
                    #expect(response.status == status, "\(uri) \(body)")
                    #expect(World.errorCode(response) == code, "\(uri) \(body)")
                }
            }
            #expect(try world.runtime.users.account("leo").isDisabled == false)
            #expect(try world.runtime.users.account("maria").isDisabled == false)
        }
    }
}
