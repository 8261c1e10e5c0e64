import Foundation

/// Holds every budget's promise: no call starts unless its worst case fits in every budget that applies.
///
/// Before a call, `reserve` holds the call's worst-case cost (input tokens counted, output at max
/// tokens) against all applicable budgets at once — all or none — inside one exclusive store
/// transaction; afterwards `settle` swaps it for the real cost, or `release` frees it when the call
/// failed without using tokens. The actor serializes callers within a process; the store's
/// exclusive transaction serializes processes sharing one database.
///
/// A reservation is a lease: it holds money until `expiresAt` (the injected clock plus
/// `reservationLifetime`). A process killed between `reserve` and `settle` leaves its reservation
/// behind; once the lease ends it stops counting, and the next reservation's transaction marks it
/// `abandoned` (kept as a record, charging nothing), so no run can hold a budget forever.
///
/// A call refused only by the reservations in flight is admitted by waiting (`admission`,
/// `BudgetLedger+Admission.swift`): it is refused at once only when what is spent plus its worst case
/// is over a budget, and with `budget.wait-expired` when the calls in flight do not settle in time.
/// The waiting holds no store transaction; the check and the reservation stay one atomic write.
public actor BudgetLedger {
    public nonisolated let prices: PriceTable
    public nonisolated let timeZone: TimeZone
    /// How long an unsettled reservation holds money; longer than any call's deadline.
    public nonisolated let reservationLifetime: TimeInterval
    /// How a call that does not fit beside the calls in flight waits for them.
    public nonisolated let admission: BudgetAdmission
    let store: any BudgetStore
    let now: @Sendable () -> Date
    let makeID: @Sendable () -> String
    /// The admission wait's clock.
    let elapsed: ElapsedTime
    /// This process's calls waiting for budget, oldest first.
    var waiting = AdmissionQueue()

    /// - Parameters:
    ///   - now: the wall clock, injected (KAMCore reads no clock); windows and expiry are computed from it.
    ///   - timeZone: where days and months begin for `day` and `month` budgets.
    ///   - reservationLifetime: seconds an unsettled reservation keeps holding money.
    ///   - admission: how long a call that does not fit beside the calls in flight waits for them; by
    ///     default it is refused at once (the runtime passes `budgets.admission_wait_seconds`, 30 s).
    ///   - clock: the clock the admission wait runs on (a `ManualClock` in tests).
    public init(
        store: any BudgetStore,
        prices: PriceTable,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        reservationLifetime: TimeInterval = 600,
        admission: BudgetAdmission = .refuseAtOnce,
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date,
        makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.store = store
        self.prices = prices
        self.timeZone = timeZone
        self.reservationLifetime = reservationLifetime
        self.admission = admission
        self.elapsed = ElapsedTime(clock: clock)
        self.now = now
        self.makeID = makeID
    }

    // MARK: Calls

    /// Reserves the worst case of a call to `model`: `inputTokens` (counted exactly) at the input
    /// price and `maxOutputTokens` at the output price, waiting for room as `admission` allows.
    ///
    /// - Throws: `BudgetError.exceeded` naming the first budget it does not fit; `waitExpired` when it
    ///   waited the whole admission wait; `priceUnknown` when a budget applies and the model has no price
    ///   (a budget cannot hold for an unknown cost); `CancellationError` when the task is cancelled while it waits.
    public func reserve(
        model: String, provider: String? = nil, inputTokens: Int, maxOutputTokens: Int, for attribution: CallAttribution
    ) async throws -> Reservation {
        let estimate = prices.worstCaseCost(
            model: model, provider: provider, inputTokens: inputTokens, maxOutputTokens: maxOutputTokens)
        return try await reserve(estimate, model: model, for: attribution)
    }

    /// One look at the budgets in one exclusive store write: expired leases are abandoned, then the call is
    /// reserved, refused, or told to wait (nothing else is written, and the write's lock is let go).
    ///
    /// - Parameter queuedAhead: ids of the budgets earlier waiting calls of this process wait for.
    func attempt(_ estimate: CallCost, model: String, for attribution: CallAttribution, queuedAhead: Set<String>)
        throws(BudgetError) -> AdmissionAttempt
    {
        let at = now()
        let id = makeID()
        let expires = at.addingTimeInterval(reservationLifetime)
        let timeZone = self.timeZone
        return try storeWrite { transaction in
            // Leases that ended (a killed run's calls) are closed first: they never count again.
            _ = try transaction.abandonExpiredReservations(now: at)
            let applicable = try transaction.budgets().filter { attribution.isCovered(by: $0.scope) }
            guard let amount = estimate.money else {
                if let budget = applicable.first {
                    throw BudgetError(
                        code: .priceUnknown,
                        message: """
                            budget \(budget.id) applies to this call but model '\(model)' has no price, so its worst case \
                            is unknown and the budget could not hold. Add the model to a price override file \
                            (prices.overrides in kam.yaml) or use a priced model.
                            """,
                        budget: budget)
                }
                // No budget to hold: the call goes ahead; its log row says "price unknown".
                return .admitted(
                    Reservation(
                        id: id, attribution: attribution, model: model, amount: .zero, createdAt: at, expiresAt: expires,
                        budgetIDs: [], state: .released))
            }
            let loads = try applicable.map { budget in
                let window = budget.period.window(containing: at, timeZone: timeZone)
                let totals = try transaction.totals(for: budget.scope, in: window, now: at)
                return AdmissionDecision.Load(budget: budget, window: window, totals: totals)
            }
            func refusal(_ load: AdmissionDecision.Load) -> BudgetError {
                .exceeded(load.budget, window: load.window, totals: load.totals, estimate: amount, model: model)
            }
            switch AdmissionDecision.decide(estimate: amount, loads: loads, queuedAhead: queuedAhead) {
            case .refuse(let load):
                return .refused(refusal(load))
            case .wait(let load, let blockedOn):
                return .mustWait(budgetIDs: blockedOn, refusal: refusal(load))
            case .admit:
                let reservation = Reservation(
                    id: id, attribution: attribution, model: model, amount: amount, createdAt: at, expiresAt: expires,
                    budgetIDs: applicable.map(\.id))
                try transaction.insertReservation(reservation)
                return .admitted(reservation)
            }
        }
    }

    /// Replaces a reservation by the call's real cost.
    ///
    /// A cost that is unknown keeps the reserved worst case as the charge (never zero). A real cost
    /// above the reservation is recorded as it is — the money was spent — and reported as `overrun`.
    /// So is a call that finished after its lease ended and was marked `abandoned`.
    @discardableResult
    public func settle(_ reservation: Reservation, cost: CallCost) throws(BudgetError) -> Settlement {
        guard reservation.state == .reserved else {
            // Never stored (unknown price, no budget applied): nothing to settle.
            return Settlement(reservation: reservation, charged: cost.money ?? .zero)
        }
        let charged = cost.money ?? reservation.amount
        let settlement = try storeWrite { transaction in
            guard let stored = try transaction.reservation(id: reservation.id) else {
                throw BudgetError(
                    code: .unknownReservation,
                    message: "reservation \(reservation.id) for \(reservation.model) is not in the budget store; "
                        + "it cannot be settled. Was the database replaced while the call ran?")
            }
            try transaction.updateReservation(id: stored.id, state: .settled, cost: charged)
            var settled = stored
            settled.state = .settled
            settled.cost = charged
            return Settlement(reservation: settled, charged: charged)
        }
        wakeWaitingCalls()
        return settlement
    }

    /// Marks every reservation whose lease has ended without a settlement as `abandoned` and returns
    /// how many there were. `reserve` does this on every call; commands that only read budgets may
    /// call it to close a killed run's leases for the record.
    @discardableResult
    public func abandonExpiredReservations() throws(BudgetError) -> Int {
        let at = now()
        let abandoned = try storeWrite { try $0.abandonExpiredReservations(now: at) }
        if abandoned > 0 { wakeWaitingCalls() }
        return abandoned
    }

    /// Frees a reservation whose call failed before it used any tokens.
    public func release(_ reservation: Reservation) throws(BudgetError) {
        guard reservation.state == .reserved else { return }
        try storeWrite { transaction in
            guard let stored = try transaction.reservation(id: reservation.id), stored.state == .reserved else { return }
            try transaction.updateReservation(id: stored.id, state: .released, cost: nil)
        }
        wakeWaitingCalls()
    }

    // MARK: Budgets

    public func setBudget(_ budget: Budget) throws(BudgetError) {
        guard budget.amount >= .zero, budget.amount <= Money.maximumBudget else {
            throw BudgetError(
                code: .invalidBudget,
                message: "budget \(budget.id): amount \(budget.amount) must be between $0 and \(Money.maximumBudget)")
        }
        try storeWrite { try $0.saveBudget(budget) }
        // A raised (or removed) budget may make room for the calls that wait.
        wakeWaitingCalls()
    }

    /// Makes the store hold exactly these budgets for their ids (those from `kam.yaml`), leaving others alone.
    public func apply(configured budgets: [Budget]) throws(BudgetError) {
        for budget in budgets { try setBudget(budget) }
    }

    public func removeBudget(id: String) throws(BudgetError) {
        let removed = try storeWrite { try $0.deleteBudget(id: id) }
        wakeWaitingCalls()
        if !removed {
            throw BudgetError(code: .unknownBudget, message: "no budget has id '\(id)'; `kam budget list` shows them")
        }
    }

    public func budgets() throws(BudgetError) -> [Budget] {
        try storeRead { try $0.budgets() }
    }

    /// Every budget with what it has spent and reserved in its current window.
    public func statuses() throws(BudgetError) -> [BudgetStatus] {
        let at = now()
        let timeZone = self.timeZone
        return try storeRead { transaction in
            try transaction.budgets().map { budget in
                let window = budget.period.window(containing: at, timeZone: timeZone)
                let totals = try transaction.totals(for: budget.scope, in: window, now: at)
                return BudgetStatus(budget: budget, window: window, spent: totals.spent, reserved: totals.reserved)
            }
        }
    }

    public func status(id: String) throws(BudgetError) -> BudgetStatus {
        guard let status = try statuses().first(where: { $0.budget.id == id }) else {
            throw BudgetError(code: .unknownBudget, message: "no budget has id '\(id)'; `kam budget list` shows them")
        }
        return status
    }

    // MARK: Store access

    func storeWrite<T>(_ body: (any BudgetTransaction) throws -> T) throws(BudgetError) -> T {
        do {
            return try store.write(body)
        } catch let error as BudgetError {
            throw error
        } catch {
            throw BudgetError(
                code: .storage, message: "the budget store failed; the call was not made. Check the database file.",
                underlying: error)
        }
    }

    func storeRead<T>(_ body: (any BudgetTransaction) throws -> T) throws(BudgetError) -> T {
        do {
            return try store.read(body)
        } catch let error as BudgetError {
            throw error
        } catch {
            throw BudgetError(code: .storage, message: "the budget store could not be read", underlying: error)
        }
    }
}
