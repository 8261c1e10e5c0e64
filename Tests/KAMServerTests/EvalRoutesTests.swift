import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct EvalRoutesTests {
    typealias World = RoleRouteWorld

    /// A suite of two offline variants over the first two cases of the shipped inbound-email dataset.
    static func suite() throws -> URL {
        try TinyEvalSuite.write(folderPrefix: "eval-routes", cases: 2)
    }

    @Test("the stored runs are listed newest first and each shows its report; an unknown id is 404")
    func runsAndReports() async throws {
        let world = try await World.make()
        let suite = try Self.suite()
        defer { try? FileManager.default.removeItem(at: suite.deletingLastPathComponent()) }
        let first = try await world.runtime.evals.run(.init(suite: suite.path, runID: "run-1"), as: .anonymous)
        _ = try await world.runtime.evals.run(.init(suite: suite.path, runID: "run-2"), as: .anonymous)
        #expect(first.report.complete)
        try await world.test { client in
            let page = try await client.executeDocumented(uri: "/evals?limit=1", method: .get, headers: world.member) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(page.items.count == 1)
            let cursor = try #require(page["next_cursor"]?.stringValue)
            let rest = try await client.executeDocumented(uri: "/evals?cursor=\(cursor)", method: .get, headers: world.member) {
                try World.json($0.body)
            }
            #expect(Set((page.items + rest.items).compactMap { $0.text("id") }) == ["run-1", "run-2"])
            #expect(rest["next_cursor"] == .null)
            try await client.executeDocumented(uri: "/evals/run-1", method: .get, headers: world.member) { response in
                #expect(response.status == .ok)
                let detail = try World.json(response.body)
                #expect(detail["run"]?.text("status") == "complete")
                #expect(detail["run"]?["stored_results"] == 4)
                #expect(detail["run"]?["variants"]?.arrayValue?.count == 2)
                #expect(detail["report"]?["gatePassed"] == .bool(first.report.gatePassed))
                #expect(detail["report"]?["results"]?.arrayValue?.count == 4)
            }
            try await client.executeDocumented(uri: "/evals/run-9", method: .get, headers: world.member) {
                #expect($0.status == .notFound)
                #expect(World.errorCode($0.body) == "eval.run-not-found")
            }
        }
    }
}
