import ArgumentParser
import Foundation
import KAMCore

/// `kam budget set|list|show|remove`: the spending limits calls are checked against.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Set, list and show budgets (amount per day, month or in total, for a user, team, client, prompt or everything).",
        subcommands: [Set.self, List.self, Show.self, Remove.self]
    )

    /// One budget in `list`/`show` output and their `--json`.
    struct Line: Encodable {
        var id: String
        var scope: String
        var period: String
        var amount: String
        var spent: String
        var reserved: String
        var remaining: String
        var windowStart: Date?
        var windowEnd: Date?

        enum CodingKeys: String, CodingKey {
            case id, scope, period, amount, spent, reserved, remaining
            case windowStart = "window_start"
            case windowEnd = "window_end"
        }

        init(_ status: BudgetStatus) {
            id = status.budget.id
            scope = status.budget.scope.description
            period = status.budget.period.rawValue
            amount = status.budget.amount.decimalString
            spent = status.spent.decimalString
            reserved = status.reserved.decimalString
            remaining = status.remaining.decimalString
            if status.budget.period != .total {
                windowStart = status.window.start
                windowEnd = status.window.end
            }
        }
    }

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
            let ledgers = try LedgerOpening.open(global, config: config)
            do {
                try await ledgers.ledger.setBudget(budget)
                let status = try await ledgers.ledger.status(id: budget.id)
                print("budget \(budget.id): \(budget.amount); spent \(status.spent), reserved \(status.reserved), remaining \(status.remaining)")
                if ledgers.configuration.budgets.contains(where: { $0.id == budget.id }) {
                    StoreOpening.printError(
                        "kam: note: \(ledgers.configuration.sourcePath ?? "kam.yaml") also sets \(budget.id); the file's amount applies again the next time a command loads it")
                }
            } catch {
                throw LedgerOpening.fail(error)
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
            let ledgers = try await LedgerOpening.openApplyingBudgets(global, config: config)
            let statuses: [BudgetStatus]
            do {
                statuses = try await ledgers.ledger.statuses()
            } catch {
                throw LedgerOpening.fail(error)
            }
            let lines = statuses.map(Line.init)
            if json {
                print(try StoreOpening.json(lines))
            } else if lines.isEmpty {
                print("no budgets; add one with: kam budget set --scope global --period month --amount 100")
            } else {
                let rows = [["BUDGET", "AMOUNT", "SPENT", "RESERVED", "REMAINING"]]
                    + statuses.map {
                        [$0.budget.id, "\($0.budget.amount)", "\($0.spent)", "\($0.reserved)", "\($0.remaining)"]
                    }
                print(BudgetCommand.table(rows))
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
            let ledgers = try await LedgerOpening.openApplyingBudgets(global, config: config)
            let status: BudgetStatus
            do {
                status = try await ledgers.ledger.status(id: id)
            } catch {
                throw LedgerOpening.fail(error)
            }
            if json {
                print(try StoreOpening.json(Line(status)))
            } else {
                let window =
                    status.budget.period == .total
                    ? "all time"
                    : "\(status.window.start.formatted(.iso8601)) to \(status.window.end.formatted(.iso8601))"
                print(
                    """
                    budget     \(status.budget.id)
                    scope      \(status.budget.scope)
                    period     \(status.budget.period.rawValue) (\(window), \(ledgers.ledger.timeZone.identifier))
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
            let ledgers = try LedgerOpening.open(global, config: config)
            do {
                try await ledgers.ledger.removeBudget(id: id)
            } catch {
                throw LedgerOpening.fail(error)
            }
            print("removed budget \(id)")
            fflush(nil)
        }
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (index, cell) in row.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
