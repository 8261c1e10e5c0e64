import Foundation
import Synchronization

/// A `BudgetStore` in memory, for tests and for runs without a database.
///
/// One lock around everything: `write` is as exclusive as SQLite's `BEGIN IMMEDIATE` is across
/// processes, and changes made by a body that throws are rolled back.
public final class InMemoryBudgetStore: BudgetStore {
    struct State {
        var budgets: [String: Budget] = [:]
        var reservations: [String: Reservation] = [:]
    }

    private let state = Mutex(State())

    public init(budgets: [Budget] = []) {
        state.withLock { state in
            for budget in budgets { state.budgets[budget.id] = budget }
        }
    }

    public func write<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try state.withLock { state in
            let transaction = Transaction(state: state)
            let result = try body(transaction)
            state = transaction.state
            return result
        }
    }

    public func read<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        let snapshot = state.withLock { $0 }
        return try body(Transaction(state: snapshot))
    }

    /// Every reservation, for tests.
    public var reservations: [Reservation] {
        state.withLock { Array($0.reservations.values) }
    }

    final class Transaction: BudgetTransaction {
        var state: State

        init(state: State) {
            self.state = state
        }

        func budgets() throws -> [Budget] { state.budgets.values.sorted { $0.id < $1.id } }

        func saveBudget(_ budget: Budget) throws { state.budgets[budget.id] = budget }

        func deleteBudget(id: String) throws -> Bool { state.budgets.removeValue(forKey: id) != nil }

        func totals(for scope: BudgetScope, in window: DateInterval, now: Date) throws -> BudgetTotals {
            var totals = BudgetTotals()
            for reservation in state.reservations.values
            where reservation.attribution.isCovered(by: scope) && reservation.createdAt >= window.start
                && reservation.createdAt < window.end
            {
                switch reservation.state {
                case .settled: totals.spent += reservation.cost ?? reservation.amount
                case .reserved where reservation.expiresAt > now: totals.reserved += reservation.amount
                default: break
                }
            }
            return totals
        }

        func insertReservation(_ reservation: Reservation) throws { state.reservations[reservation.id] = reservation }

        func reservation(id: String) throws -> Reservation? { state.reservations[id] }

        func updateReservation(id: String, state newState: Reservation.State, cost: Money?) throws {
            state.reservations[id]?.state = newState
            state.reservations[id]?.cost = cost
        }
    }
}
