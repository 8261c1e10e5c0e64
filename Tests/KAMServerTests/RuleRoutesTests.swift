import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The rules log over HTTP: as maria (an admin) every execution, filtered by rule, client, status and time and paged; as
/// leo (a member who owns initech only) only initech's, and acme is not found. Every response is checked against the
/// OpenAPI document (`executeDocumented`).
@Suite struct RuleRoutesTests {
    typealias World = RouteTestWorld

    /// Logs, oldest first: health-intervention fired for acme 3 days ago, skipped for globex 2 days ago (tier failed),
    /// renewal-risk fired for initech a day ago.
    static func logExecutions(_ world: World) throws {
        let repository = RuleExecutionRepository(store: world.store)
        let logged: [(String, String, RuleExecution.Status, Double)] = [
            ("health-intervention", "acme", .fired, 3), ("health-intervention", "globex", .skipped, 2),
            ("renewal-risk", "initech", .fired, 1),
        ]
        for (rule, client, status, daysAgo) in logged {
            let passed = status != .skipped
            _ = try repository.record(
                [
                    RuleExecutionRequest(
                        execution: RuleExecution(
                            rule: rule, cause: "test:\(client)", eventID: nil, clientID: client, chainRoot: nil, chainDepth: 0,
                            status: status, stopReason: passed ? nil : "failed: tier",
                            conditions: [.init(field: "tier", expected: "enterprise", actual: passed ? "enterprise" : "standard", passed: passed)],
                            startedAt: World.now.addingTimeInterval(-daysAgo * 86_400)),
                        writes: [], chain: nil, cooldownDays: 0)
                ], clock: { World.now })
        }
    }

    @Test func theLogIsFilteredPagedAndScopedToTheClientsTheCallerMaySee() async throws {
        let world = try await World.make()
        try Self.logExecutions(world)
        let leo = try world.memberAuth()
        try await world.test { client in
            func clients(_ query: String, _ headers: HTTPFields? = nil) async throws -> [String] {
                try await client.executeDocumented(uri: "/rules/executions\(query)", method: .get, headers: headers ?? world.auth) {
                    response in
                    #expect(response.status == .ok, "\(query)")
                    return try World.json(response.body).items.compactMap { $0.text("client_id") }
                }
            }
            #expect(try await clients("") == ["initech", "globex", "acme"], "newest first")
            #expect(try await clients("?rule=health-intervention") == ["globex", "acme"])
            #expect(try await clients("?client=acme") == ["acme"])
            #expect(try await clients("?status=fired") == ["initech", "acme"])
            let twoDaysAgo = UTCTimestamp.dateTime(World.now.addingTimeInterval(-2 * 86_400))
            #expect(try await clients("?since=\(twoDaysAgo)") == ["initech", "globex"])
            try await client.executeDocumented(uri: "/rules/executions?status=skipped", method: .get, headers: world.auth) {
                response in
                let skipped = try #require(try World.json(response.body).items.first)
                #expect(skipped.text("rule") == "health-intervention" && skipped.text("stop_reason") == "failed: tier")
                #expect(skipped["conditions"]?.arrayValue?.first?["passed"] == .bool(false))
                #expect(skipped["actions"]?.arrayValue?.isEmpty == true)
            }

            // Paged: one a page, each page's next_cursor leading to the next, the last one's null.
            var seen: [String] = []
            var cursor: String? = ""
            while let next = cursor {
                let query = "?limit=1" + (next.isEmpty ? "" : "&cursor=\(next)")
                try await client.executeDocumented(uri: "/rules/executions\(query)", method: .get, headers: world.auth) {
                    response in
                    let page = try World.json(response.body)
                    seen += page.items.compactMap { $0.text("client_id") }
                    cursor = page.text("next_cursor")
                }
            }
            #expect(seen == ["initech", "globex", "acme"])

            // A member sees only the executions about their own clients; another's client is not found.
            #expect(try await clients("", leo) == ["initech"])
            #expect(try await clients("?rule=health-intervention", leo).isEmpty)
            try await client.executeDocumented(uri: "/rules/executions?client=acme", method: .get, headers: leo) {
                #expect($0.status == .notFound)
            }
            for bad in ["?status=maybe", "?since=yesterday", "?since=", "?limit=0", "?cursor=nope"] {
                try await client.executeDocumented(uri: "/rules/executions\(bad)", method: .get, headers: world.auth) {
                    #expect($0.status == .badRequest, "\(bad)")
                }
            }
        }
    }
}
