/// The calls of one process waiting for budget, in order of arrival.
///
/// A waiting call names the budgets it waits on (those it does not fit beside the calls in flight, or an
/// earlier waiter waits on), not every budget that applies. Only the first waiter of each budget (a head)
/// asks the store again; a later one whose budgets overlap an earlier one's waits behind it without
/// reading the store, and is woken when the earlier one leaves. So order of arrival holds within a
/// process, and a settlement costs one store read per head, not one per waiter.
struct AdmissionQueue {
    struct Waiter {
        var ticket: UInt64
        var budgetIDs: Set<String>
        var signal: AdmissionSignal
    }

    /// Oldest first.
    private var waiters: [Waiter] = []
    private var nextTicket: UInt64 = 0

    var count: Int { waiters.count }

    /// Adds a call at the back and returns its ticket.
    mutating func enqueue(budgetIDs: Set<String>) -> UInt64 {
        defer { nextTicket += 1 }
        waiters.append(Waiter(ticket: nextTicket, budgetIDs: budgetIDs, signal: AdmissionSignal()))
        return nextTicket
    }

    /// Records the budgets a waiting call waits on after its latest look (room in one, another filled meanwhile).
    mutating func update(_ ticket: UInt64, budgetIDs: Set<String>) {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiters[index].budgetIDs = budgetIDs
    }

    mutating func remove(_ ticket: UInt64) {
        waiters.removeAll { $0.ticket == ticket }
    }

    func signal(of ticket: UInt64) -> AdmissionSignal? {
        waiters.first { $0.ticket == ticket }?.signal
    }

    /// The budgets that calls ahead of `ticket` wait for; every waiter's for a call not yet queued (nil).
    func budgetIDs(aheadOf ticket: UInt64?) -> Set<String> {
        var ids: Set<String> = []
        for waiter in waiters {
            if let ticket, waiter.ticket >= ticket { break }
            ids.formUnion(waiter.budgetIDs)
        }
        return ids
    }

    /// Whether an earlier waiter waits for one of this waiter's budgets.
    func isBehind(_ ticket: UInt64) -> Bool {
        guard let own = waiters.first(where: { $0.ticket == ticket })?.budgetIDs else { return false }
        return !budgetIDs(aheadOf: ticket).isDisjoint(with: own)
    }

    /// The first waiter of each budget: the calls that may be admitted next.
    func heads() -> [AdmissionSignal] {
        var claimed: Set<String> = []
        var heads: [AdmissionSignal] = []
        for waiter in waiters {
            if waiter.budgetIDs.isDisjoint(with: claimed) { heads.append(waiter.signal) }
            claimed.formUnion(waiter.budgetIDs)
        }
        return heads
    }
}
