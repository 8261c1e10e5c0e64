import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The four dashboards as pages and as JSON: a server-made chart for each metric, the figures of the owners the
/// signed-in user sees.
@Suite("Dashboard pages") struct DashboardPageTests {
    /// deals.won two days before the demo's now: 5 for sven (member of growth), 2 for maria (the admin).
    static func world() async throws -> RouteTestWorld {
        let world = try await WebPageTests.world()
        let day = AnalyticsDay(containing: RouteTestWorld.now).adding(days: -2)
        try SnapshotRepository(writer: world.store.writer).replace(
            day: day,
            with: [
                SnapshotRow(day: day, metric: "deals.won", owner: "sven", value: 5),
                SnapshotRow(day: day, metric: "deals.won", owner: "maria", value: 2),
            ], takenAt: RouteTestWorld.now)
        return world
    }

    @Test("each dashboard is a page with a chart per metric; a member sees their own figures, the admin everyone's")
    func pages() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, admin) = try await WebPageTests.signIn(client, "maria")
            for dashboard in Dashboard.allCases {
                let page = try await client.execute(uri: "/app/analytics/dashboards/\(dashboard.rawValue)", method: .get, headers: admin)
                #expect(page.status == .ok, "\(dashboard.rawValue)")
                let html = WebPageTests.text(page)
                #expect(html.components(separatedBy: "<svg").count == dashboard.metrics.count + 1, "\(dashboard.rawValue)")
                #expect(html.contains("<h1>\(dashboard.title)</h1>"))
                for metric in dashboard.metrics { #expect(html.contains("<h2>\(metric)</h2>"), "\(metric)") }
            }
            let all = WebPageTests.text(try await client.execute(uri: "/app/analytics/dashboards/pipeline", method: .get, headers: admin))
            #expect(all.contains("deals.won") && all.contains(": 7</title>"))
            let (_, member) = try await WebPageTests.signIn(client, "sven")
            let own = WebPageTests.text(try await client.execute(uri: "/app/analytics/dashboards/pipeline", method: .get, headers: member))
            #expect(own.contains(": 5</title>") && !own.contains(": 7</title>"))
            let missing = try await client.execute(uri: "/app/analytics/dashboards/nothing", method: .get, headers: admin)
            #expect(missing.status == .notFound)
            let analytics = WebPageTests.text(try await client.execute(uri: "/app/analytics", method: .get, headers: admin))
            #expect(analytics.contains("/app/analytics/dashboards/support"))
        }
    }

    @Test("GET /analytics/dashboards/{name}: each metric's weeks; an unknown name is 400")
    func json() async throws {
        let world = try await Self.world()
        let key = try APIKeyRepository(store: world.store).create(userID: "maria", now: RouteTestWorld.now).plaintext
        let headers: HTTPFields = [.authorization: "Bearer \(key)"]
        try await world.test { client in
            try await client.executeDocumented(uri: "/analytics/dashboards/pipeline", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                let body = try RouteTestWorld.json(response.body)
                let panels = body["panels"]?.arrayValue ?? []
                #expect(panels.compactMap { $0["metric"]?.stringValue } == Dashboard.pipeline.metrics)
                let won = panels.first { $0["metric"]?.stringValue == "deals.won" }?["points"]?.arrayValue ?? []
                #expect(won.compactMap { $0["value"]?.doubleValue }.reduce(0, +) == 7)
                #expect(won.count == 1)
            }
            try await client.executeDocumented(uri: "/analytics/dashboards/nothing", method: .get, headers: headers) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
