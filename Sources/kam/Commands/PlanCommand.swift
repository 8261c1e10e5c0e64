import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam plan [--user U] [--date D] [--narrative]`: the day's priorities across a user's clients.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Rank today's work across your clients; with --narrative, plan.daily-review writes the brief.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Option(help: "The day to plan (YYYY-MM-DD, default today).") var date: String?
    @Option(help: "At most this many items.") var limit = 12
    @Flag(help: "Ask the model for the narrative (plan.daily-review).") var narrative = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let store = try StoreOpening.open(global)
        var now = Date()
        if let date {
            guard let day = SuggestCommand.day(date) else {
                StoreOpening.printError("kam: --date '\(date)' is not a date; use YYYY-MM-DD")
                throw ExitCode.validationFailure
            }
            now = day.addingTimeInterval(9 * 3600)
        }
        let userID = global.userID
        let clients = try DraftCommand.attempt {
            try store.listClients().filter { userID == nil || $0.ownerID == userID }
        }
        if clients.isEmpty {
            print(userID.map { "No clients are owned by \($0)." } ?? "No clients. Try `kam demo`.")
            return
        }
        let since = now.addingTimeInterval(-30 * 86_400)
        let health = HealthRepository(store: store)
        let snapshots = try DraftCommand.attempt { try clients.compactMap { try store.snapshot(clientID: $0.id, activitiesSince: since) } }
        let histories = try DraftCommand.attempt {
            Dictionary(uniqueKeysWithValues: try clients.map { ($0.id, try health.history(clientID: $0.id, limit: 2)) })
        }
        let ids = Set(clients.map(\.id))
        let suggestions = try DraftCommand.attempt {
            try SuggestionRepository(store: store).pending(now: now).filter { ids.contains($0.clientID) }
        }
        let inbound = try DraftCommand.attempt {
            try InboundSignalReader(store: store).signals(since: now.addingTimeInterval(-3 * 86_400)).filter { ids.contains($0.clientID) }
        }
        let items = DailyPlanner(rules: try config.load().rules).plan(
            snapshots: snapshots, healthHistory: histories, suggestions: suggestions, inbound: inbound, now: now,
            limit: limit)
        var review: DailyReviewPlan? = nil
        if narrative {
            let runtime = try await AgentRuntime.open(global, config)
            let template = try runtime.template("plan.daily-review")
            let (runner, route) = try runtime.runner(forPrompt: template.id)
            let userName = try userID.flatMap { try store.user(id: $0)?.name } ?? userID ?? "the team"
            do {
                review = try await runner.run(
                    template,
                    variables: [
                        "user_name": .string(userName), "today": .string(String(DraftCommand.timestamp(now).prefix(10))),
                        "portfolio": .string(DailyPlanner.portfolioText(items)),
                    ], as: DailyReviewPlan.self, options: runtime.options(for: route),
                    attribution: try runtime.attribution(clientID: nil)
                ).output
            } catch {
                throw AgentRuntime.fail(error)
            }
        }
        if json {
            struct Output: Encodable {
                var items: [PlanItem]
                var review: DailyReviewPlan?
            }
            print(try StoreOpening.json(Output(items: items, review: review)))
        } else {
            print("Plan for \(String(DraftCommand.timestamp(now).prefix(10)))\(userID.map { " — \($0)" } ?? ""): \(items.count) items")
            for (n, item) in items.enumerated() {
                print("\(String(n + 1).leftPadded(2)). [\(item.score)] \(item.clientName): \(item.title)")
                print("      \(item.source.rawValue): \(item.reason)")
            }
            if let review {
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
