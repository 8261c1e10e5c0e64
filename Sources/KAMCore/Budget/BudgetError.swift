import Foundation

/// A call refused by a budget, or a budget operation that could not be done.
///
/// A refusal names the budget, its limit, what is spent and reserved in the current window, and
/// the call's worst-case estimate, so the person can see why and what to change.
public struct BudgetError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The call's worst case does not fit in a budget that applies.
        public static let exceeded = Code(rawValue: "budget.exceeded")
        /// A budget applies but the model has no price, so its worst case cannot be known.
        public static let priceUnknown = Code(rawValue: "budget.price-unknown")
        /// Settling or releasing a reservation the store does not know.
        public static let unknownReservation = Code(rawValue: "budget.unknown-reservation")
        /// A budget definition is wrong (amount, scope).
        public static let invalidBudget = Code(rawValue: "budget.invalid")
        /// No budget has that id.
        public static let unknownBudget = Code(rawValue: "budget.unknown")
        /// The store failed (database locked, disk full...).
        public static let storage = Code(rawValue: "budget.storage")
        /// The call fitted beside what is spent but the calls in flight did not settle within the admission wait.
        public static let waitExpired = Code(rawValue: "budget.wait-expired")

        /// Every code above (`ErrorCodeSpellingTests` checks their spelling).
        public static let allCases: [Code] = [
            .exceeded, .priceUnknown, .unknownReservation, .invalidBudget, .unknownBudget, .storage, .waitExpired,
        ]
    }

    public var code: Code
    public var message: String
    /// The budget that refused the call, when there is one.
    public var budget: Budget?
    public var spent: Money?
    public var reserved: Money?
    /// The call's worst-case cost.
    public var estimate: Money?
    public var underlying: (any Error & Sendable)?

    public init(
        code: Code, message: String, budget: Budget? = nil, spent: Money? = nil, reserved: Money? = nil,
        estimate: Money? = nil, underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.budget = budget
        self.spent = spent
        self.reserved = reserved
        self.estimate = estimate
        self.underlying = underlying
    }

    public var description: String {
        var text = "[\(code)] \(message)"
        if let underlying { text += " (underlying: \(underlying))" }
        return text
    }

    static func exceeded(
        _ budget: Budget, window: DateInterval, totals: BudgetTotals, estimate: Money, model: String
    ) -> BudgetError {
        let period = budget.period == .total ? "in total" : "this \(budget.period.rawValue) (from \(window.start.formatted(.iso8601)))"
        let message = """
            budget \(budget.id) refuses a call to \(model): limit \(budget.amount) \(period), spent \(totals.spent), \
            reserved by calls in flight \(totals.reserved), this call's worst case \(estimate). \
            Raise it (kam budget set --scope \(budget.scope) --period \(budget.period.rawValue) --amount N), \
            lower the prompt's maxOutputTokens, or wait for the next period.
            """
        return BudgetError(
            code: .exceeded, message: message, budget: budget, spent: totals.spent, reserved: totals.reserved,
            estimate: estimate)
    }

    /// The error of a call that waited the whole admission wait: `refusal` is its last look's (`exceeded`,
    /// naming the budget that stayed full), kept with its figures.
    static func waitExpired(_ refusal: BudgetError, waited: Duration) -> BudgetError {
        let budget = refusal.budget.map { "budget \($0.id)" } ?? "a budget"
        let limit = refusal.budget.map { "limit \($0.amount), " } ?? ""
        let figures = [
            refusal.spent.map { "spent \($0)" }, refusal.reserved.map { "reserved by calls in flight \($0)" },
            refusal.estimate.map { "this call's worst case \($0)" },
        ].compactMap { $0 }.joined(separator: ", ")
        let message = """
            \(budget) had no room for the call within the admission wait of \
            \(BudgetAdmission.describe(waited)) (\(limit)\(figures)): the calls in flight did not settle in time, \
            and nothing was sent. \
            Try again shortly, raise budgets.admission_wait_seconds in kam.yaml, or lower the prompt's maxOutputTokens.
            """
        return BudgetError(
            code: .waitExpired, message: message, budget: refusal.budget, spent: refusal.spent,
            reserved: refusal.reserved, estimate: refusal.estimate)
    }
}
