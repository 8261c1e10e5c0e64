import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct AnalyticsTrendRoutesTests {
    typealias World = RoleRouteWorld

    static var today: AnalyticsDay { AnalyticsDay(containing: World.now) }

    /// deals.won rows two days ago: 2 for maria (enterprise), 5 for sven (growth).
    static func world() async throws -> World {
        let world = try await World.make()
        let day = today.adding(days: -2)
        try SnapshotRepository(writer: world.store.writer).replace(
            day: day,
            with: [
                SnapshotRow(day: day, metric: "deals.won", owner: "maria", value: 2),
                SnapshotRow(day: day, metric: "deals.won", owner: "sven", value: 5),
            ], takenAt: World.now)
        return world
    }

    @Test("trends by owner follow the caller's scope: the admin both owners, the enterprise manager maria's, a member none")
    func trendsFollowTheScope() async throws {
        let world = try await Self.world()
        let uri = "/analytics/trends?metric=deals.won&since=\(Self.today.adding(days: -7).name)&by=owner"
        try await world.test { client in
            func owners(_ headers: HTTPFields) async throws -> [String] {
                try await client.executeDocumented(uri: uri, method: .get, headers: headers) {
                    #expect($0.status == .ok)
                    return try World.json($0.body)["points"]?.arrayValue?.compactMap { $0.text("bucket") } ?? []
                }
            }
            #expect(try await owners(world.admin) == ["maria", "sven"])
            #expect(try await owners(world.manager) == ["maria"])
            #expect(try await owners(world.member) == [])
            let weeks = try await client.executeDocumented(
                uri: "/analytics/trends?metric=deals.win-rate&since=\(Self.today.adding(days: -7).name)", method: .get,
                headers: world.admin
            ) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(weeks["by"]?.stringValue == "week")
            #expect(weeks["days"] == 1)
        }
    }

    @Test("an unknown metric is 404 analytics.unknown-metric; a missing since or a bad grouping is 400")
    func refusals() async throws {
        let world = try await Self.world()
        try await world.test { client in
            try await client.executeDocumented(uri: "/analytics/trends?metric=nope&since=2026-01-01", method: .get, headers: world.admin) {
                #expect($0.status == .notFound)
                #expect(World.errorCode($0.body) == "analytics.unknown-metric")
            }
            try await client.executeDocumented(uri: "/analytics/trends?metric=deals.won", method: .get, headers: world.admin) {
                #expect($0.status == .badRequest)
                #expect(World.errorCode($0.body) == "request.since")
            }
            try await client.executeDocumented(
                uri: "/analytics/trends?metric=deals.won&since=2026-01-01&by=day", method: .get, headers: world.admin
            ) { #expect($0.status == .badRequest) }
            for days in ["0", ""] {  // an empty value is no number (schemathesis: `days=` had answered the default)
                try await client.executeDocumented(uri: "/analytics/overview?days=\(days)", method: .get, headers: world.admin) {
                    #expect($0.status == .badRequest)
                    #expect(World.errorCode($0.body) == "request.days")
                }
            }
        }
    }

    @Test("the overview: the snapshot of two days ago counts in a three-day period, per the caller's scope")
    func overview() async throws {
        let world = try await Self.world()
        try await world.test { client in
            func wonLine(_ days: Int, _ headers: HTTPFields) async throws -> (current: Double?, previous: Double?) {
                try await client.executeDocumented(uri: "/analytics/overview?days=\(days)", method: .get, headers: headers) {
                    #expect($0.status == .ok)
                    let line = try World.json($0.body)["items"]?.arrayValue?.first { $0.text("metric") == "deals.won" }
                    return (line?["current"]?.doubleValue, line?["previous"]?.doubleValue)
                }
            }
            for (headers, stored) in [(world.admin, 7.0), (world.manager, 2), (world.member, 0)] {
                // Today's figures so far: the one-day period's current; yesterday has no snapshot, so no previous.
                let today = try await wonLine(1, headers)
                #expect(today.previous == nil)
                #expect(try await wonLine(3, headers).current == stored + (today.current ?? 0))
            }
        }
    }
}
