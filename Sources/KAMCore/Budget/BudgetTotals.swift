/// What a scope has spent and holds in reservations within one window.
public struct BudgetTotals: Sendable, Hashable, Codable {
    /// Real cost of settled calls.
    public var spent: Money
    /// Worst-case amounts of calls still in flight.
    public var reserved: Money

    public init(spent: Money = .zero, reserved: Money = .zero) {
        self.spent = spent
        self.reserved = reserved
    }

    public var committed: Money { spent + reserved }
}
