import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// `GET /leads/stats`: the leads each caller may see, documented as answered.
@Suite struct LeadStatisticsRoutesTests {
    typealias World = RoleRouteWorld

    @Test("an admin's statistics count every client; a member who owns no client gets zeros; no key is 401")
    func scoped() async throws {
        let world = try await World.make()
        let clients = Int64(try await world.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clients") } ?? 0)
        try await world.test { client in
            let all = try await client.executeDocumented(uri: "/leads/stats", method: .get, headers: world.admin) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(all["leads"]?.intValue == clients)
            #expect(all["conversions"]?.arrayValue?.count == 5)
            let none = try await client.executeDocumented(uri: "/leads/stats", method: .get, headers: world.member) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(none["leads"]?.intValue == 0)
            #expect(none["conversions"]?.arrayValue?.allSatisfy { $0["rate"] == nil } == true)
            try await client.executeDocumented(uri: "/leads/stats", method: .get) { #expect($0.status == .unauthorized) }
        }
    }
}
