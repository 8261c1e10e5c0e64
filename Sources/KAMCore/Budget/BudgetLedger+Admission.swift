import Foundation

/// Admission by waiting: a call that fits what is spent but not the reservations in flight waits for them.
extension BudgetLedger {
    /// Reserves a given worst-case cost against every budget that applies to `attribution`.
    ///
    /// A call whose worst case fits every budget beside what is spent and reserved is reserved at once. One
    /// over a budget even with nothing in flight (spent + worst case over the limit) is refused at once. Any
    /// other waits, in order of arrival among this process's calls, up to `admission.wait`: woken when a
    /// reservation of this process settles or is released, and looking at the store every
    /// `admission.pollInterval` for those settled by other processes. No store transaction is held while it
    /// waits; each look is one exclusive write, so the check and the reservation stay atomic.
    ///
    /// For example:
    ///
    /// ```swift
    /// let reservation = try await ledger.reserve(estimate, model: "gpt-4o-mini", for: attribution)
    /// // ... the call ...
    /// try await ledger.settle(reservation, cost: cost)   // wakes the calls waiting for this money
    /// ```
    ///
    /// - Throws: `BudgetError` `.exceeded` (refused at once, naming the budget), `.waitExpired` (waited the
    ///   whole admission wait), `.priceUnknown`, `.storage`; `CancellationError` when cancelled while waiting.
    public func reserve(_ estimate: CallCost, model: String, for attribution: CallAttribution) async throws
        -> Reservation
    {
        let started = elapsed.now()
        var ticket: UInt64?
        var refusal: BudgetError?
        defer {
            if let ticket {
                waiting.remove(ticket)
                wakeWaitingCalls()
            }
        }
        while true {
            // A call behind an earlier one of the same budget does not look: it could not go first anyway.
            if ticket.map({ waiting.isBehind($0) }) != true {
                let ahead = waiting.budgetIDs(aheadOf: ticket)
                switch try attempt(estimate, model: model, for: attribution, queuedAhead: ahead) {
                case .admitted(let reservation):
                    return reservation
                case .refused(let error):
                    throw error
                case .mustWait(let budgetIDs, let error):
                    refusal = error
                    if let ticket {
                        waiting.update(ticket, budgetIDs: budgetIDs)
                    } else {
                        guard admission.wait > .zero else { throw error }
                        ticket = waiting.enqueue(budgetIDs: budgetIDs)
                    }
                }
            }
            guard let ticket, let signal = waiting.signal(of: ticket) else { continue }
            let waited = elapsed.now() - started
            if waited >= admission.wait, let refusal {
                throw BudgetError.waitExpired(refusal, waited: admission.wait)
            }
            let remaining = admission.wait - waited
            // A call behind another is woken when that one leaves; a head also looks every poll interval.
            let timeout = waiting.isBehind(ticket) ? remaining : min(admission.pollInterval, remaining)
            await signal.wait(atMost: timeout, sleep: elapsed.sleep)
            try Task.checkCancellation()
        }
    }

    /// Wakes the first waiting call of each budget, to look again: money may have been freed, or the call
    /// ahead of it has left.
    func wakeWaitingCalls() {
        for signal in waiting.heads() { signal.signal() }
    }

    /// How many calls of this process wait for budget now.
    public var waitingCalls: Int { waiting.count }
}
