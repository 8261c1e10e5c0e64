import Foundation

/// What a call's worst case gets from the budgets that apply to it, decided from their totals as read
/// inside the reserving transaction.
///
/// A budget that cannot pay the worst case even with nothing in flight (spent + worst case over the
/// limit) refuses at once: waiting cannot help. One that could, once the calls in flight settle, makes
/// the call wait; so does one that an earlier call of this process already waits for, so a later small
/// call cannot overtake (and starve) an earlier large one.
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
    /// Fits beside what is spent, but not (yet) beside the reservations in flight or behind an earlier waiting call.
    case wait(Load, behindEarlierCall: Bool)

    /// Decides for a worst case of `estimate` under `loads`; `queuedAhead` holds the ids of the budgets that
    /// earlier calls of this process wait for.
    static func decide(estimate: Money, loads: [Load], queuedAhead: Set<String>) -> AdmissionDecision {
        if let over = loads.first(where: { $0.totals.spent + estimate > $0.budget.amount }) {
            return .refuse(over)
        }
        if let taken = loads.first(where: { queuedAhead.contains($0.budget.id) }) {
            return .wait(taken, behindEarlierCall: true)
        }
        if let full = loads.first(where: { $0.totals.committed + estimate > $0.budget.amount }) {
            return .wait(full, behindEarlierCall: false)
        }
        return .admit
    }
}
