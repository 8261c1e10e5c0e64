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
        #expect(
            jobs == [
                "inactivity-check", "health-recompute", "suggestion-expiry", "retention-cleanup", "self-check", "daily-review",
                "weekly-analysis", "candidate-evaluation", "notification-digest", "weekly-export",
            ])
        #expect(listed.allSatisfy { $0["next_slot"] != nil && $0["last_run"] == nil })

        let first = try await workspace.kam("jobs", "run", "--due", "--json")
        #expect(first.exitCode == 0, "\(first)")
        let runs = try #require(first.jsonArray, "\(first)")
        let users = try workspace.count("users")
        // The daily review runs for each user (its latest 08:00 in their zone).
        #expect(
            runs.compactMap { $0["job"] as? String }
                == jobs.dropLast(5) + Array(repeating: "daily-review", count: users)
                + ["weekly-analysis", "candidate-evaluation", "notification-digest", "weekly-export"])
        // The workspace has no Evaluations folder: the nightly evaluation finds no suite.
        let nightly = runs.first { $0["job"] as? String == "candidate-evaluation" }
        #expect((nightly?["counts"] as? [String: Any])?["suites"] as? Int == 0, "\(first)")
        // No notifications.digest_folder in kam.yaml: no digest is written.
        #expect((runs.last?["counts"] as? [String: Any])?["written"] as? Int == 0, "\(first)")
        #expect(Set(runs.compactMap { $0["subject"] as? String }).count == users, "\(first)")
        let analysis = try await workspace.kam("teams", "analysis")
        #expect(analysis.exitCode == 0 && analysis.stdout.contains("Week of ") && analysis.stdout.contains("maria"), "\(analysis)")
        #expect(runs.allSatisfy { $0["outcome"] as? String == "succeeded" }, "\(first)")
        let scored = runs.first { $0["job"] as? String == "health-recompute" }?["counts"] as? [String: Any]
        #expect((scored?["scored"] as? Int ?? 0) > 0, "\(first)")
        // As the server's scheduler does, the pass let the rules and the plans read every event, the jobs' own included.
        let cursors = try workspace.rows(
            "SELECT consumer, event_id = (SELECT MAX(id) FROM events) AS done FROM event_cursors WHERE consumer IN ('rules', 'daily-plans')")
        #expect(cursors.count == 2 && cursors.allSatisfy { $0["done"] == "1" }, "\(cursors)")
        // A second call (another process) runs no slot again: nothing, unless a new quarter hour began in between.
        let second = try await workspace.kam("jobs", "run", "--due", "--json")
        let again = try #require(second.jsonArray, "\(second)")
        let firstSlots = Set(runs.map { "\($0["job"]!) \($0["slot"]!)" })
        #expect(again.allSatisfy { !firstSlots.contains("\($0["job"]!) \($0["slot"]!)") }, "\(second)")
        #expect(again.count <= 2, "only self-check and the hourly check can fall due within seconds: \(second)")
        let stored = runs.count + again.count
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

    @Test("users get a time zone; kam plan shows the stored plan and kam plan done marks an item")
    func storedPlanAndTimeZones() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let bad = try await workspace.kam("users", "update", "leo", "--time-zone", "Mars/Base")
        #expect(bad.exitCode != 0 && bad.stderr.contains("IANA"), "\(bad)")
        let tokyo = try await workspace.kam("users", "update", "leo", "--time-zone", "Asia/Tokyo")
        #expect(tokyo.exitCode == 0 && tokyo.stdout.contains("Asia/Tokyo"), "\(tokyo)")
        let added = try await workspace.kam(
            "users", "add", "ana", "--name", "Ana Lima", "--email", "ana@example.com", "--time-zone", "America/New_York")
        #expect(added.exitCode == 0 && added.stdout.contains("America/New_York"), "\(added)")

        // Before the review: ranked now.
        let live = try await workspace.kam("plan", "--user", "maria")
        #expect(live.exitCode == 0 && live.stdout.contains("ranked now"), "\(live)")
        let review = try await workspace.kam("jobs", "run", "daily-review", "--json")
        #expect(review.exitCode == 0 && (review.jsonArray ?? []).count == 8, "\(review)")
        let shown = try await workspace.kam("plan", "--user", "maria", "--json")
        let plan = try #require(shown.jsonObject, "\(shown)")
        let items = try #require(plan["items"] as? [[String: Any]])
        let first = try #require(items.first?["id"] as? Int, "\(shown)")
        #expect(plan["done"] as? Int == 0)
        let done = try await workspace.kam("plan", "done", String(first), "--user", "maria")
        #expect(done.exitCode == 0 && done.stdout.hasPrefix("done #\(first)"), "\(done)")
        let text = try await workspace.kam("plan", "--user", "maria")
        #expect(text.stdout.contains("1 of \(items.count) done") && text.stdout.contains("[x] #\(first)"), "\(text)")
        #expect(text.stdout.contains("say: "), "\(text)")
        let nobody = try await workspace.kam("plan", "done", "999999", "--user", "maria")
        #expect(nobody.exitCode != 0 && nobody.stderr.contains("plan.item-not-found") || nobody.stderr.contains("no item"), "\(nobody)")
    }

    @Test("kam serve --no-background serves and runs no job; without it, the jobs due at its start run", arguments: [true, false])
    func serveWithoutBackground(noBackground: Bool) async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let before = try workspace.count("job_runs")
        let port = Int.random(in: 20_000...60_000)
        // Stopped by the timeout (SIGTERM, a graceful shutdown) once its first pass has had ample time.
        let served = try await KAMTool.run(
            ["serve", "--port", "\(port)", "--db", workspace.database.path] + (noBackground ? ["--no-background"] : []),
            in: workspace.directory, timeout: 15)
        #expect(served.stderr.contains("serving on http://127.0.0.1:\(port)"), "\(served)")
        #expect(served.stderr.contains("--no-background") == noBackground, "\(served)")
        let runs = try workspace.count("job_runs") - before
        if noBackground {
            #expect(runs == 0, "\(served)")
        } else {
            #expect(runs > 0, "a server with its background work runs the due jobs at its start: \(served)")
        }
    }
}

