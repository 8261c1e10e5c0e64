import Foundation
import Synchronization

/// A `BudgetStore` in memory, for tests and for runs without a database.
///
/// One lock around everything: `write` is as exclusive as SQLite's `BEGIN IMMEDIATE` is across
/// processes, and changes made by a body that throws are rolled back. A write mutates the state in
/// place and keeps an undo log for the rollback, so its cost does not grow with the reservations held
/// (copying the state each time made every metered call O(reservations)).
public final class InMemoryBudgetStore: BudgetStore {
    struct State {
        var budgets: [String: Budget] = [:]
        var reservations: [String: Reservation] = [:]
        /// Ids of the reservations in state `reserved`, so sweeping expired leases looks at those only.
        var reservedIDs: Set<String> = []
    }

    private let state = Mutex(State())

    public init(budgets: [Budget] = []) {
        state.withLock { state in
            for budget in budgets { state.budgets[budget.id] = budget }
        }
    }

    public func write<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try state.withLock { state in
            // Move the state into the transaction (leaving no second reference, so no copy on write).
            let transaction = Transaction(state: state)
            state = State()
            defer { state = transaction.state }
            do {
                return try body(transaction)
            } catch {
                transaction.rollBack()
                throw error
            }
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
        /// Inverse of each change, newest last.
        private var undo: [(inout State) -> Void] = []

        init(state: State) {
            self.state = state
        }

        func rollBack() {
            for step in undo.reversed() { step(&state) }
            undo.removeAll()
        }

        func budgets() throws -> [Budget] { state.budgets.values.sorted { $0.id < $1.id } }

        func saveBudget(_ budget: Budget) throws {
            let previous = state.budgets[budget.id]
            undo.append { $0.budgets[budget.id] = previous }
            state.budgets[budget.id] = budget
        }

        func deleteBudget(id: String) throws -> Bool {
            guard let previous = state.budgets.removeValue(forKey: id) else { return false }
            undo.append { $0.budgets[id] = previous }
            return true
        }

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

        func insertReservation(_ reservation: Reservation) throws {
            let previous = state.reservations[reservation.id]
            undo.append { Self.put(previous, id: reservation.id, into: &$0) }
            Self.put(reservation, id: reservation.id, into: &state)
        }

        func reservation(id: String) throws -> Reservation? { state.reservations[id] }

        func updateReservation(id: String, state newState: Reservation.State, cost: Money?) throws {
            guard var updated = state.reservations[id] else { return }
            let previous = updated
            undo.append { Self.put(previous, id: id, into: &$0) }
            updated.state = newState
            updated.cost = cost
            Self.put(updated, id: id, into: &state)
        }

        func abandonExpiredReservations(now: Date) throws -> Int {
            let expired = state.reservedIDs.filter { id in state.reservations[id].map { $0.expiresAt <= now } ?? false }
            for id in expired { try updateReservation(id: id, state: .abandoned, cost: nil) }
            return expired.count
        }

        func reservations() throws -> [Reservation] {
            state.reservations.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }

        func reservations(clientID: String) throws -> [Reservation] {
            try reservations().filter { $0.attribution.clientID == clientID }
        }

        func detachReservations(clientID: String) throws -> Int {
            let held = try reservations(clientID: clientID)
            for reservation in held {
                var detached = reservation
                detached.attribution.clientID = nil
                undo.append { Self.put(reservation, id: reservation.id, into: &$0) }
                Self.put(detached, id: reservation.id, into: &state)
            }
            return held.count
        }

        /// Stores (or removes, for nil) a reservation and keeps `reservedIDs` in step.
        private static func put(_ reservation: Reservation?, id: String, into state: inout State) {
            state.reservations[id] = reservation
            if reservation?.state == .reserved {
                state.reservedIDs.insert(id)
            } else {
                state.reservedIDs.remove(id)
            }
        }
    }
}
