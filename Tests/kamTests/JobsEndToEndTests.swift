import Foundation
import Testing

/// `kam jobs list|run|history` on the demo: cron's way in, each due slot run once, a manual run admin-only.
@Suite("kam jobs end to end")
struct JobsEndToEndTests {
    @Test("run --due runs each job's latest slot once; history lists the runs; a member cannot run a job")
    func dueRunsOnce() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let listed = try #require(try await workspace.kam("jobs", "list", "--json").jsonArray)
        let jobs = listed.compactMap { $0["job"] as? String }
        #expect(jobs == ["inactivity-check", "health-recompute", "suggestion-expiry", "retention-cleanup", "self-check"])
        #expect(listed.allSatisfy { $0["next_slot"] != nil && $0["last_run"] == nil })

        let first = try await workspace.kam("jobs", "run", "--due", "--json")
        #expect(first.exitCode == 0, "\(first)")
        let runs = try #require(first.jsonArray, "\(first)")
        #expect(runs.compactMap { $0["job"] as? String } == jobs)
        #expect(runs.allSatisfy { $0["outcome"] as? String == "succeeded" }, "\(first)")
        let scored = runs.first { $0["job"] as? String == "health-recompute" }?["counts"] as? [String: Any]
        #expect((scored?["scored"] as? Int ?? 0) > 0, "\(first)")
        // A second call (another process) runs no slot again: nothing, unless a new quarter hour began in between.
        let second = try await workspace.kam("jobs", "run", "--due", "--json")
        let again = try #require(second.jsonArray, "\(second)")
        let firstSlots = Set(runs.map { "\($0["job"]!) \($0["slot"]!)" })
        #expect(again.allSatisfy { !firstSlots.contains("\($0["job"]!) \($0["slot"]!)") }, "\(second)")
        #expect(again.count <= 2, "only self-check and the hourly check can fall due within seconds: \(second)")
        let stored = 5 + again.count
        #expect(try workspace.count("job_runs") == stored)

        let member = try await workspace.kam("jobs", "run", "health-recompute", "--user", "leo")
        #expect(member.exitCode == 20, "\(member)")
        #expect(try workspace.count("job_runs") == stored)
        let neither = try await workspace.kam("jobs", "run")
        #expect(neither.exitCode == 64, "\(neither)")

        let history = try await workspace.kam("jobs", "history", "--job", "self-check", "--json")
        #expect((history.jsonArray ?? []).count == runs.count(where: { $0["job"] as? String == "self-check" })
            + again.count(where: { $0["job"] as? String == "self-check" }), "\(history)")
    }
}
