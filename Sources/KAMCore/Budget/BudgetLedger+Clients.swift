/// One client's rows in the budget ledger, for its data export and its erasure when the ledger is kept apart
/// from the store (a PostgreSQL ledger; in the store's own file the erasure's transaction covers them).
extension BudgetLedger {
    /// The store the ledger keeps its budgets and reservations in (`kam db check` counts them).
    public nonisolated var budgetStore: any BudgetStore { store }

    /// What the ledger holds about one client: its budgets and the reservations of its calls, oldest first.
    public struct ClientRows: Sendable, Hashable {
        public var budgets: [Budget]
        public var reservations: [Reservation]
    }

    /// The ledger's rows about client `clientID`.
    public func rows(clientID: String) throws(BudgetError) -> ClientRows {
        try storeRead { transaction in
            ClientRows(
                budgets: try transaction.budgets().filter { $0.scope == .client(clientID) },
                reservations: try transaction.reservations(clientID: clientID))
        }
    }

    /// Removes the client's budgets and clears the client of its reservations, in one write; the money spent
    /// stays counted by the global, user and team budgets.
    /// - Returns: how many budgets were removed and how many reservations detached.
    public func forget(clientID: String) throws(BudgetError) -> (budgetsRemoved: Int, reservationsDetached: Int) {
        let outcome = try storeWrite { transaction in
            var removed = 0
            for budget in try transaction.budgets() where budget.scope == .client(clientID) {
                if try transaction.deleteBudget(id: budget.id) { removed += 1 }
            }
            return (removed, try transaction.detachReservations(clientID: clientID))
        }
        wakeWaitingCalls()
        return outcome
    }
}
