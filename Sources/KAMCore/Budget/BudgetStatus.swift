import Foundation

/// A budget with where it stands in its current window.
public struct BudgetStatus: Sendable, Hashable, Codable {
    public var budget: Budget
    public var window: DateInterval
    public var spent: Money
    public var reserved: Money

    public init(budget: Budget, window: DateInterval, spent: Money, reserved: Money) {
        self.budget = budget
        self.window = window
        self.spent = spent
        self.reserved = reserved
    }

    /// What is left for new calls (never below zero).
    public var remaining: Money { max(.zero, budget.amount - spent - reserved) }
}
