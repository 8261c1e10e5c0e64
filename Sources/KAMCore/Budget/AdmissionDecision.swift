import Foundation

/// What a call's worst case gets from the budgets that apply to it, decided from their totals as read
/// inside the reserving transaction.
///
/// A budget that cannot pay the worst case even with nothing in flight (spent + worst case over the
/// limit) refuses at once: waiting cannot help. One that could, once the calls in flight settle, makes
/// the call wait; so does one that an earlier call of this process already waits for, so a later small
/// call cannot overtake (and starve) an earlier large one. A call waits *on* those budgets only, not on
/// every budget that applies: a client whose budget is full does not hold up other clients' calls
/// through the global budget they share.
enum AdmissionDecision: Sendable, Equatable {
    /// A budget that applies, its current window, and what is spent and reserved in it.
    struct Load: Sendable, Equatable {
        var budget: Budget
        var window: DateInterval
        var totals: BudgetTotals
    }

    /// Fits every budget now: reserve it.
    case admit
    /// Over this budget even with nothing in flight.
    case refuse(Load)
    /// Fits beside what is spent, but not (yet) beside the reservations in flight, or behind an earlier waiting
    /// call: `load` is the first such budget, `blockedOn` the ids of all of them.
    case wait(Load, blockedOn: Set<String>)

    /// Decides for a worst case of `estimate` under `loads`; `queuedAhead` holds the ids of the budgets that
    /// earlier calls of this process wait for.
    static func decide(estimate: Money, loads: [Load], queuedAhead: Set<String>) -> AdmissionDecision {
        if let over = loads.first(where: { $0.totals.spent + estimate > $0.budget.amount }) {
            return .refuse(over)
        }
        let blocking = loads.filter {
            queuedAhead.contains($0.budget.id) || $0.totals.committed + estimate > $0.budget.amount
        }
        guard let first = blocking.first else { return .admit }
        return .wait(first, blockedOn: Set(blocking.map(\.budget.id)))
    }
}
