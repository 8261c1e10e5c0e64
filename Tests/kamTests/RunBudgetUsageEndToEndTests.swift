import Foundation
import Testing

/// `kam run`, budgets and the usage ledger, through the command line.
@Suite("kam run, budget, usage end to end")
struct RunBudgetUsageEndToEndTests {
    @Test("run PROMPT --client --json reports usage, cost, latency and attempts")
    func runJSON() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let result = try await workspace.kam("run", "draft.check-in", "--client", "acme", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let run = try #require(result.jsonObject, "\(result)")
        #expect(run["prompt"] as? String == "draft.check-in@1")
        #expect(run["provider"] as? String == "offline")
        #expect(run["offline"] as? Bool == true)
        #expect(run["attempts"] as? Int == 1)
        #expect(run["cost_usd"] is NSNumber)
        #expect(run["latency_ms"] is NSNumber)
        let usage = try #require(run["usage"] as? [String: Any])
        #expect((usage["input_tokens"] as? Int ?? 0) > 0)
        #expect((usage["output_tokens"] as? Int ?? 0) > 0)
        let output = try #require(run["output"] as? [String: Any])
        #expect(output["subject"] is String, "\(output)")
        #expect(try workspace.count("model_calls", where: "1") > 0)
    }

    @Test("a budget too small for a priced model refuses the call before it is sent, naming the budget")
    func budgetRefusal() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let set = try await workspace.kam("budget", "set", "--scope", "global", "--period", "day", "--amount", "0.0001")
        #expect(set.exitCode == 0, "\(set)")
        let listed = try await workspace.kam("budget", "list")
        #expect(listed.stdout.contains("global/day"), "\(listed)")

        let drafts = try workspace.count("drafts")
        // No key in the environment: nothing can reach OpenAI; the ledger still reserves the dearest
        // model of the chain, and refuses.
        let draft = try await workspace.kam("draft", "new", "acme", "--provider", "openai", "--model", "gpt-4o-mini")
        #expect(draft.exitCode == 8, "\(draft)")
        #expect(draft.stderr.contains("budget global/day"), "\(draft)")
        #expect(draft.stderr.contains("kam budget set"), "the error says what to do: \(draft)")
        #expect(try workspace.count("drafts") == drafts, "a refused call stores no draft")

        let run = try await workspace.kam("run", "draft.check-in", "--client", "acme", "--provider", "openai", "--model", "gpt-4o-mini")
        #expect(run.exitCode == 8, "\(run)")
        #expect(run.stderr.contains("budget global/day"), "\(run)")

        let shown = try #require(try await workspace.kam("budget", "show", "global/day", "--json").jsonObject)
        #expect(shown["spent"] as? String == "0.00", "nothing was spent: \(shown)")
        #expect(shown["reserved"] as? String == "0.00", "no reservation is left behind: \(shown)")

        let offline = try await workspace.kam("draft", "new", "acme", "--json")
        #expect(offline.exitCode == 0, "the free offline provider still fits: \(offline)")
    }

    @Test("usage --by prompt shows the calls made, including refused ones")
    func usageByPrompt() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        #expect(try await workspace.kam("run", "draft.check-in", "--client", "acme").exitCode == 0)
        #expect(try await workspace.kam("draft", "new", "globex", "--kind", "follow-up").exitCode == 0)
        #expect(try await workspace.kam("budget", "set", "--scope", "global", "--period", "day", "--amount", "0.0001").exitCode == 0)
        #expect(try await workspace.kam("run", "draft.check-in", "--client", "acme", "--provider", "openai", "--model", "gpt-4o-mini").exitCode == 8)

        let result = try await workspace.kam("usage", "--by", "prompt", "--json")
        #expect(result.exitCode == 0, "\(result)")
        let rows = try #require(result.jsonArray, "\(result)")
        let checkIn = try #require(rows.first { $0["key"] as? String == "draft.check-in" }, "\(rows)")
        #expect(checkIn["calls"] as? Int == 2)
        #expect(checkIn["refused"] as? Int == 1)
        #expect(checkIn["offline"] as? Int == 1)
        let followUp = try #require(rows.first { $0["key"] as? String == "draft.follow-up-email" }, "\(rows)")
        #expect((followUp["calls"] as? Int ?? 0) >= 1)
        let text = try await workspace.kam("usage", "--by", "prompt")
        #expect(text.stdout.contains("draft.check-in"), "\(text)")
    }
}
