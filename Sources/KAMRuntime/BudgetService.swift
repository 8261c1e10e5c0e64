import Foundation
import KAMCore

/// Spending limits (`kam budget set|list|show|remove`): an amount per day, month or in total for a user,
/// team, client, prompt or everything. Every model call reserves its worst case against the budgets
/// that apply before it is sent, so a budget set here refuses the call that would overspend it.
///
/// Budgets named in `kam.yaml` are written into the store each time a runtime opens, so the file's
/// amount wins over one set here the next time KAM starts.
///
/// For example:
/// ```swift
/// let set = try await runtime.budgets.set(
///     Budget(scope: .client("acme"), period: .month, amount: Money(dollars: "25")!), as: ActingUser("maria"))
/// set.status.remaining   // $25.00 less this month's spend on acme
/// ```
public struct BudgetService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// One budget as `--json` prints it: amounts in dollars as decimal strings, the current window unless
    /// the period is `total`.
    public struct Line: Codable, Sendable, Hashable {
        public var id: String
        public var scope: String
        public var period: String
        public var amount: String
        public var spent: String
        public var reserved: String
        public var remaining: String
        public var windowStart: Date?
        public var windowEnd: Date?

        enum CodingKeys: String, CodingKey {
            case id, scope, period, amount, spent, reserved, remaining
            case windowStart = "window_start"
            case windowEnd = "window_end"
        }

        public init(_ status: BudgetStatus) {
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

    /// A budget just set, with what it has already spent and reserved in its window.
    public struct Saved: Codable, Sendable {
        public var status: BudgetStatus
        /// The configuration file that also names this budget: its amount applies again the next time
        /// a runtime opens. Nil when the configuration leaves the budget alone.
        public var configuredIn: String?
    }

    /// The time zone day and month windows are counted in (`budget_time_zone` in `kam.yaml`).
    public var timeZone: TimeZone { runtime.ledger.timeZone }

    /// Creates the budget of its scope and period, or changes its amount.
    ///
    /// - Throws: `BudgetError` `.invalidBudget` for an amount outside $0 to `Money.maximumBudget`.
    @discardableResult
    public func set(_ budget: Budget, as user: ActingUser) async throws -> Saved {
        try await runtime.ledger.setBudget(budget)
        let status = try await runtime.ledger.status(id: budget.id)
        let configured = runtime.configuration.budgets.contains { $0.id == budget.id }
        return Saved(status: status, configuredIn: configured ? runtime.configuration.sourcePath ?? "kam.yaml" : nil)
    }

    /// Every budget with its spend and reservations in its current window, ordered by id.
    public func list() async throws -> [BudgetStatus] {
        try await runtime.ledger.statuses()
    }

    /// One budget by id, `SCOPE/PERIOD` (`client:acme/month`).
    ///
    /// - Throws: `BudgetError` `.unknownBudget` when no budget has that id.
    public func status(_ id: String) async throws -> BudgetStatus {
        try await runtime.ledger.status(id: id)
    }

    /// Deletes a budget: calls in its scope are no longer limited by it.
    ///
    /// - Throws: `BudgetError` `.unknownBudget` when no budget has that id.
    public func remove(_ id: String, as user: ActingUser) async throws {
        try await runtime.ledger.removeBudget(id: id)
    }
}
