import Foundation

/// Reads and writes of budgets and reservations inside one store transaction.
///
/// Totals are computed from reservations by the call's attribution, not by budget id, so a budget
/// set in the middle of a month counts what that scope already spent this month.
public protocol BudgetTransaction {
    func budgets() throws -> [Budget]
    func saveBudget(_ budget: Budget) throws
    /// Deletes a budget; `false` when there was none with that id.
    func deleteBudget(id: String) throws -> Bool
    /// Settled cost and live reservations (not expired at `now`) of calls under `scope`, made within `window`.
    func totals(for scope: BudgetScope, in window: DateInterval, now: Date) throws -> BudgetTotals
    func insertReservation(_ reservation: Reservation) throws
    func reservation(id: String) throws -> Reservation?
    /// Stores the new state (and cost) of a reservation.
    func updateReservation(id: String, state: Reservation.State, cost: Money?) throws
    /// Marks every reservation still `reserved` whose lease ended at or before `now` as `abandoned`,
    /// keeping the row; returns how many. The cost of this must not grow with the settled history
    /// (SQLite: a partial index of the reserved rows).
    func abandonExpiredReservations(now: Date) throws -> Int
    /// Every reservation, oldest first: what `kam db copy-ledger` copies.
    func reservations() throws -> [Reservation]
    /// Every reservation made for client `clientID`, oldest first: what a client's data export shows.
    func reservations(clientID: String) throws -> [Reservation]
    /// Clears the client of every reservation made for client `clientID`, keeping its amount and cost (money
    /// spent stays counted by the global, user and team budgets); returns how many.
    func detachReservations(clientID: String) throws -> Int
}

/// Where budgets and reservations live: SQLite in `KAMStore`, memory in tests.
///
/// `write` must be atomic and exclusive across every process that shares the store (SQLite:
/// `BEGIN IMMEDIATE`), because checking that a call fits and recording its reservation must be
/// one step, or two processes could both take the last dollar.
public protocol BudgetStore: Sendable {
    func write<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T
    func read<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T
}
