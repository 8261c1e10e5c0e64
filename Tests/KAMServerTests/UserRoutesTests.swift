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
}
