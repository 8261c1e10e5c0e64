import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam plan [--user U] [--date D] [--narrative]`: the day's priorities across a user's clients.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Rank today's work across your clients; with --narrative, plan.daily-review writes the brief.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Option(help: "The day to plan (YYYY-MM-DD, default today).") var date: Day?
    @Option(help: "At most this many items.") var limit = 12
    @Flag(help: "Ask the model for the narrative (plan.daily-review).") var narrative = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let runtime = try await AgentRuntime.open(global, config)
        let plan = try await runtime.attempt {
            try await runtime.runtime.plans.plan(day: date?.date, limit: limit, narrative: narrative, as: runtime.user)
        }
        let userID = global.userID
        if json {
            print(try Terminal.json(plan))
        } else if plan.clients == 0 {
            print(userID.map { "No clients are owned by \($0)." } ?? "No clients. Try `kam demo`.")
        } else {
            print("Plan for \(Terminal.day(plan.day))\(userID.map { " — \($0)" } ?? ""): \(plan.items.count) items")
            for (n, item) in plan.items.enumerated() {
                print("\(String(n + 1).leftPadded(2)). [\(item.score)] \(item.clientName): \(item.title)")
                print("      \(item.source.rawValue): \(item.reason)")
            }
            if let review = plan.review {
                print("\nBrief:")
                for p in review.topPriorities {
                    print("  • \(p.client): \(p.title) (win probability \(Int(p.winProbability * 100))%) — \(p.reasoning)")
                }
                for r in review.risks { print("  ! \(r.client): \(r.description) (\(r.severity.rawValue))") }
                for q in review.quickWins { print("  + \(q.client): \(q.action)") }
            }
        }
        fflush(nil)
    }
}
