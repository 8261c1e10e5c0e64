import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam plan [--user U] [--date D] [--live] [--narrative]`: today's stored plan (the daily review's) with its
/// completion, or the day's priorities computed now; `kam plan done ITEM` marks an item done by hand.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Today's plan: the one the daily review stored, with what is done, or one ranked now.",
        subcommands: [Show.self, Done.self, Undo.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show today's stored plan and its completion; without one (or with --live) rank the work now.",
            discussion: """
                The daily review stores each user's plan at 08:00 in their time zone (`kam jobs`); its items are \
                done when their task is done, their deal moves or the client is contacted, or by `kam plan done ITEM`. \
                Without --user (or with --live, --narrative or a --date without a stored plan) the plan is ranked now.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Option(help: "The day (YYYY-MM-DD, default today).") var date: DayArgument?
        @Option(help: "At most this many items (a plan ranked now).") var limit = 12
        @Flag(help: "Rank the work now even when a plan is stored.") var live = false
        @Flag(help: "Rank now and ask the model for the narrative (plan.daily-review).") var narrative = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            if !live && !narrative,
                let stored = try await runtime.attempt({
                    try await runtime.runtime.plans.stored(day: date.map { PlanService.localDay($0.date, in: .gmt) }, as: runtime.user)
                })
            {
                print(json ? try Terminal.json(stored) : Self.lines(stored).joined(separator: "\n"))
                fflush(nil)
                return
            }
            let plan = try await runtime.attempt {
                try await runtime.runtime.plans.plan(day: date?.date, limit: limit, narrative: narrative, as: runtime.user)
            }
            let userID = global.userID
            if json {
                print(try Terminal.json(plan))
            } else if plan.clients == 0 {
                print(userID.map { "No clients are owned by \($0)." } ?? "No clients. Try `kam demo`.")
            } else {
                print("Plan for \(Terminal.day(plan.day))\(userID.map { " — \($0)" } ?? ""), ranked now: \(plan.items.count) items")
                for (n, item) in plan.items.enumerated() {
                    print("\(String(n + 1).leftPadded(2)). [\(item.score)] \(item.clientName): \(item.title)")
                    print("      \(item.source.rawValue): \(item.reason)")
                }
                if let review = plan.review { print(Self.brief(review).joined(separator: "\n")) }
            }
            fflush(nil)
        }

        /// A stored plan: its items with their ids and completion, the talking points, and the brief or why none.
        static func lines(_ plan: StoredPlan) -> [String] {
            var lines = [
                "Plan for \(plan.day) (\(plan.timeZone)) — \(plan.userID), stored \(Terminal.timestamp(plan.createdAt)): "
                    + "\(plan.done) of \(plan.items.count) done"
            ]
            for stored in plan.items {
                let item = stored.item
                let mark = stored.doneAt == nil ? "[ ]" : "[x]"
                let chance = item.winProbability.map { ", win probability \(Int(($0 * 100).rounded()))%" } ?? ""
                lines.append("\(mark) #\(stored.id) [\(item.score)] \(item.clientName): \(item.title)")
                lines.append("      \(item.source.rawValue): \(item.reason)\(chance)")
                lines.append("      say: \(item.talkingPoint)")
                if let doneAt = stored.doneAt {
                    lines.append("      done \(Terminal.timestamp(doneAt)) \(stored.doneBy ?? "")")
                }
            }
            if let review = plan.brief {
                lines += brief(review)
            } else if let note = plan.briefNote {
                lines.append("\nNo brief: \(note).")
            }
            return lines
        }

        static func brief(_ review: DailyReviewPlan) -> [String] {
            ["\nBrief:"]
                + review.topPriorities.map {
                    "  • \($0.client): \($0.title) (win probability \(Int($0.winProbability * 100))%) — \($0.reasoning)"
                }
                + review.risks.map { "  ! \($0.client): \($0.description) (\($0.severity.rawValue))" }
                + review.quickWins.map { "  + \($0.client): \($0.action)" }
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an item of your stored plan done by hand.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item's number (#12 in `kam plan`).") var item: Int64
        @Flag(help: "Print the item as JSON.") var json = false

        func run() async throws {
            try await PlanCommand.change(item, global: global, json: json) { runtime, user in
                let done = try runtime.plans.markDone(itemID: item, as: user)
                return (done.item, done.marked)
            } said: { stored, changed in
                changed ? "done #\(item): \(stored.item.title)" : "#\(item) was already done (\(stored.doneBy ?? "")): \(stored.item.title)"
            }
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an item of your stored plan not done again (a done by mistake).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item's number (#12 in `kam plan`).") var item: Int64
        @Flag(help: "Print the item as JSON.") var json = false

        func run() async throws {
            try await PlanCommand.change(item, global: global, json: json) { runtime, user in
                try runtime.plans.reopen(itemID: item, as: user)
            } said: { stored, changed in
                changed ? "not done #\(item): \(stored.item.title)" : "#\(item) was not done: \(stored.item.title)"
            }
        }
    }

    /// Changes plan item `item` with `change` and prints it: as JSON, or the line `said` makes of it and whether
    /// this call changed it.
    static func change(
        _ item: Int64, global: GlobalOptions, json: Bool,
        _ change: (Runtime, ActingUser) throws -> (item: StoredPlanItem, changed: Bool),
        said: (StoredPlanItem, Bool) -> String
    ) async throws {
        let runtime = try await AgentRuntime.open(global)
        let result = try runtime.attempt { try change(runtime.runtime, runtime.user) }
        print(json ? try Terminal.json(result.item) : said(result.item, result.changed))
        fflush(nil)
    }
}
