import Foundation
import Testing

/// Suggestions, health, lead status and the daily plan, through the command line.
@Suite("kam suggest, health, lead, plan end to end")
struct SuggestionsEndToEndTests {
    @Test("suggest run --all, then list, accept (task and draft, both pending), dismiss and snooze")
    func suggestionLifecycle() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let run = try await workspace.kam("suggest", "run", "--all", "--json")
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.jsonArray != nil, "\(run)")
        let listed = try await workspace.kam("suggest", "list", "--json")
        let suggestions = try #require(listed.jsonArray, "\(listed)")
        #expect(suggestions.count >= 4)
        #expect(suggestions.allSatisfy { $0["status"] as? String == "pending" })
        let priorities = suggestions.compactMap { $0["priority"] as? Int }
        #expect(priorities == priorities.sorted(by: >), "highest priority first")

        let taskSuggestion = try #require(suggestions.first { ($0["action"] as? [String: Any])?["task"] != nil })
        let draftSuggestion = try #require(suggestions.first { ($0["action"] as? [String: Any])?["draft"] != nil })
        let others = suggestions.filter {
            $0["id"] as? String != taskSuggestion["id"] as? String && $0["id"] as? String != draftSuggestion["id"] as? String
        }
        let toDismiss = try #require(others.first?["id"] as? String)
        let toSnooze = try #require(others.dropFirst().first?["id"] as? String)

        let tasks = try workspace.count("tasks")
        let drafts = try workspace.count("drafts")
        let outbound = try workspace.count("activities", where: "direction = 'outbound'")

        let acceptTask = try await workspace.kam("suggest", "accept", try #require(taskSuggestion["id"] as? String))
        #expect(acceptTask.exitCode == 0, "\(acceptTask)")
        #expect(try workspace.count("tasks") == tasks + 1)
        let title = try #require((taskSuggestion["action"] as? [String: Any])?["task"] as? [String: Any])["title"] as? String
        #expect(try workspace.rows("SELECT status FROM tasks WHERE title = '\(title!.replacingOccurrences(of: "'", with: "''"))'").map { $0["status"] } == ["open"])

        let draftID = try #require(draftSuggestion["id"] as? String)
        let acceptDraft = try await workspace.kam("suggest", "accept", draftID)
        #expect(acceptDraft.exitCode == 0, "\(acceptDraft)")
        #expect(try workspace.count("drafts") == drafts + 1)
        #expect(try workspace.count("drafts", where: "status = 'sent'") == 0)
        #expect(try workspace.count("activities", where: "direction = 'outbound'") == outbound, "nothing was sent")
        let twice = try await workspace.kam("suggest", "accept", draftID)
        #expect(twice.exitCode != 0, "\(twice)")
        #expect(try workspace.count("drafts") == drafts + 1)

        #expect(try await workspace.kam("suggest", "dismiss", toDismiss, "--reason", "handled by phone").exitCode == 0)
        #expect(try await workspace.kam("suggest", "snooze", toSnooze, "--until", "2099-01-01").exitCode == 0)
        let after = try #require(try await workspace.kam("suggest", "list", "--json").jsonArray)
        let remaining = Set(after.compactMap { $0["id"] as? String })
        #expect(!remaining.contains(toDismiss))
        #expect(!remaining.contains(toSnooze))
        #expect(!remaining.contains(draftID))
        #expect(after.count == suggestions.count - 4)
        let statuses = try workspace.rows("SELECT id, status FROM suggestions")
        #expect(statuses.first { $0["id"] == toDismiss }?["status"] == "dismissed")
        #expect(statuses.first { $0["id"] == toSnooze }?["status"] == "snoozed")
        #expect(statuses.first { $0["id"] == draftID }?["status"] == "accepted")
    }

    @Test("suggest run on imported data proposes work for many clients and sends nothing",
          .enabled(if: Fixtures.hasWorkbenchCRM))
    func suggestOnWorkbench() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.workbench())
        let run = try await workspace.kam("suggest", "run", "--all", "--json")
        #expect(run.exitCode == 0, "\(run)")
        let created = try #require(run.jsonArray, "\(run)")
        #expect(created.count > 50)
        #expect(Set(created.compactMap { $0["clientID"] as? String }).count > 50)
        #expect(try workspace.count("drafts") == 0)
        let again = try await workspace.kam("suggest", "run", "--all", "--json")
        #expect(again.jsonArray?.isEmpty == true, "a second pass duplicates nothing: \(again)")
    }

    @Test("health --all scores every client on four factors and keeps history")
    func healthAll() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let history = try workspace.count("health_scores")
        let result = try await workspace.kam("health", "--all", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let scores = try #require(result.jsonArray, "\(result)")
        #expect(scores.count == 8)
        for score in scores {
            let factors = try #require(score["factors"] as? [[String: Any]])
            #expect(factors.count == 4)
            let weights = factors.compactMap { $0["weight"] as? Double }.reduce(0, +)
            #expect(abs(weights - 1) < 1e-9)
        }
        #expect(try workspace.count("health_scores") == history + 8)
        let text = try await workspace.kam("health", "--all")
        #expect(text.stdout.contains("acme"), "\(text)")
    }

    @Test("lead --set records a transition with its reason")
    func leadSet() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let before = try #require(try await workspace.kam("lead", "wayne", "--json").jsonObject)
        #expect(before["status"] as? String == "qualified")
        let moved = try await workspace.kam("lead", "wayne", "--set", "proposal", "--reason", "sent the quote")
        #expect(moved.exitCode == 0, "\(moved)")
        let after = try #require(try await workspace.kam("lead", "wayne", "--json").jsonObject)
        #expect(after["status"] as? String == "proposal")
        let transitions = try #require(after["transitions"] as? [[String: Any]])
        #expect(transitions.last?["from"] as? String == "qualified")
        #expect(transitions.last?["to"] as? String == "proposal")
        #expect(transitions.last?["reason"] as? String == "sent the quote")
        let bad = try await workspace.kam("lead", "wayne", "--set", "bogus")
        #expect(bad.exitCode != 0, "\(bad)")
    }

    @Test("plan ranks today's work, highest score first")
    func plan() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let result = try await workspace.kam("plan", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let plan = try #require(result.jsonObject, "\(result)")
        let items = try #require(plan["items"] as? [[String: Any]])
        #expect(!items.isEmpty)
        #expect(items.count <= 12)
        let scores = items.compactMap { $0["score"] as? Int }
        #expect(scores.count == items.count)
        #expect(scores == scores.sorted(by: >))
        #expect(items.contains { $0["source"] as? String == "overdue-task" && $0["client_id"] as? String == "globex" })
        let limited = try await workspace.kam("plan", "--json", "--limit", "2")
        #expect((limited.jsonObject?["items"] as? [[String: Any]])?.count == 2, "\(limited)")
    }
}
