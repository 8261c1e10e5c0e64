/// What a ledger holds, in rows and money: what `kam db check` reports of a ledger kept apart from the store, and
/// what `kam db copy-ledger` compares on both sides.
public struct LedgerCounts: Sendable, Hashable, Codable, CustomStringConvertible {
    public var budgets = 0
    public var reservations = 0
    public var calls = 0
    /// The cost of every call, in picodollars (calls without a known price count 0).
    public var callCost: Int64 = 0
    /// The settled cost of every reservation, in picodollars.
    public var settledCost: Int64 = 0

    public init() {}

    /// Counts `store`'s budgets and reservations (in one read) and `log`'s calls.
    public static func read(_ store: any BudgetStore, _ log: any CallLog) async throws -> LedgerCounts {
        var counts = try store.read { transaction in
            let reservations = try transaction.reservations()
            var counts = LedgerCounts()
            counts.budgets = try transaction.budgets().count
            counts.reservations = reservations.count
            counts.settledCost = reservations.reduce(0) { $0 + (($1.state == .settled ? $1.cost?.picodollars : nil) ?? 0) }
            return counts
        }
        // The log's own totals: counting must not read every call into memory.
        let totals = try await log.usage(UsageQuery()).first
        counts.calls = totals?.calls ?? 0
        counts.callCost = totals?.cost.picodollars ?? 0
        return counts
    }

    public var description: String {
        "\(budgets) budgets, \(reservations) reservations (settled at \(Money(picodollars: settledCost))), \(calls) model calls (costing \(Money(picodollars: callCost)))"
    }
}
