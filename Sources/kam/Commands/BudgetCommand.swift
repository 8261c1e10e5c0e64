import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam budget set|list|show|remove`: the spending limits calls are checked against.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Set, list and show budgets (amount per day, month or in total, for a user, team, client, prompt or everything).",
        subcommands: [Set.self, List.self, Show.self, Remove.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Create or change the budget of a scope and period.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?
        @Option(name: .long, help: "global, user:ID, team:ID, client:ID or prompt:ID.")
        var scope: String
        @Option(name: .long, help: "day, month or total.")
        var period: String
        @Option(name: .long, help: "US dollars, e.g. 25.00.")
        var amount: String

        func validate() throws {
            guard BudgetScope(parsing: scope) != nil else {
                throw ValidationError("--scope '\(scope)' must be global, user:ID, team:ID, client:ID or prompt:ID")
            }
            guard BudgetPeriod(rawValue: period) != nil else {
                throw ValidationError("--period '\(period)' must be day, month or total")
            }
            guard let money = Money(dollars: amount), money <= Money.maximumBudget else {
                throw ValidationError("--amount '\(amount)' must be US dollars like 25 or 25.00, at most \(Money.maximumBudget)")
            }
        }

        func run() async throws {
            let budget = Budget(
                scope: BudgetScope(parsing: scope)!, period: BudgetPeriod(rawValue: period)!, amount: Money(dollars: amount)!)
            let runtime = try await AgentRuntime.open(global, configurationFile: config)
            let saved = try await runtime.attempt { try await runtime.runtime.budgets.set(budget, as: runtime.user) }
            let status = saved.status
            print("budget \(budget.id): \(budget.amount); spent \(status.spent), reserved \(status.reserved), remaining \(status.remaining)")
            if let file = saved.configuredIn {
                Terminal.printError(
                    "kam: note: \(file) also sets \(budget.id); the file's amount applies again the next time a command loads it")
            }
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every budget with its spend and reservations in the current window.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?
        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, configurationFile: config)
            let statuses = try await runtime.attempt { try await runtime.runtime.budgets.list() }
            if json {
                print(try Terminal.json(statuses.map(BudgetService.Line.init)))
            } else if statuses.isEmpty {
                print("no budgets; add one with: kam budget set --scope global --period month --amount 100")
            } else {
                let rows = [["BUDGET", "AMOUNT", "SPENT", "RESERVED", "REMAINING"]]
                    + statuses.map {
                        [$0.budget.id, "\($0.budget.amount)", "\($0.spent)", "\($0.reserved)", "\($0.remaining)"]
                    }
                print(TextTable.lines(rows).joined(separator: "\n"))
            }
            fflush(nil)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One budget: its window, spend, reservations and what is left.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?
        @Argument(help: "Budget id, SCOPE/PERIOD (e.g. client:acme/month).")
        var id: String
        @Flag(name: .long, help: "Print JSON.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, configurationFile: config)
            let budgets = runtime.runtime.budgets
            let status = try await runtime.attempt { try await budgets.status(id) }
            if json {
                print(try Terminal.json(BudgetService.Line(status)))
            } else {
                let window =
                    status.budget.period == .total
                    ? "all time"
                    : "\(status.window.start.formatted(.iso8601)) to \(status.window.end.formatted(.iso8601))"
                print(
                    """
                    budget     \(status.budget.id)
                    scope      \(status.budget.scope)
                    period     \(status.budget.period.rawValue) (\(window), \(budgets.timeZone.identifier))
                    amount     \(status.budget.amount)
                    spent      \(status.spent)
                    reserved   \(status.reserved)  (calls in flight)
                    remaining  \(status.remaining)
                    """)
            }
            fflush(nil)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Delete a budget.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?
        @Argument(help: "Budget id, SCOPE/PERIOD.")
        var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, configurationFile: config)
            try await runtime.attempt { try await runtime.runtime.budgets.remove(id, as: runtime.user) }
            print("removed budget \(id)")
            fflush(nil)
        }
    }
}
