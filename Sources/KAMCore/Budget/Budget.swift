/// A promise about spend: calls in `scope` never cost more than `amount` per `period`.
///
/// One budget per scope and period; its id is `SCOPE/PERIOD` (`client:acme/month`), so setting the
/// same scope and period again changes the amount instead of adding a second budget.
public struct Budget: Sendable, Hashable, Codable, Identifiable {
    public var scope: BudgetScope
    public var period: BudgetPeriod
    public var amount: Money

    public init(scope: BudgetScope, period: BudgetPeriod, amount: Money) {
        self.scope = scope
        self.period = period
        self.amount = amount
    }

    public var id: String { Budget.id(scope: scope, period: period) }

    public static func id(scope: BudgetScope, period: BudgetPeriod) -> String { "\(scope)/\(period.rawValue)" }

    /// Parses an id (`client:acme/month`) back into its scope and period.
    public static func parseID(_ id: String) -> (scope: BudgetScope, period: BudgetPeriod)? {
        guard let slash = id.lastIndex(of: "/"), let period = BudgetPeriod(rawValue: String(id[id.index(after: slash)...])),
            let scope = BudgetScope(parsing: String(id[..<slash]))
        else { return nil }
        return (scope, period)
    }
}
