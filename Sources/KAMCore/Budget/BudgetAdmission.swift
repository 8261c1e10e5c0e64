/// How a call whose worst case does not fit beside the calls in flight is admitted: by waiting for them.
///
/// A call whose worst case fits what a budget has left once only *spent* money is counted, but not
/// beside the reservations of calls still in flight, waits up to `wait` for those to settle (most
/// settle far below their worst case) instead of being refused. It is woken when a reservation of
/// its own process settles or is released, and looks at the store every `pollInterval` for
/// reservations settled by other processes. `wait` of zero refuses it at once.
///
/// For example:
///
/// ```swift
/// let ledger = BudgetLedger(
///     store: store, prices: prices, admission: BudgetAdmission(wait: .seconds(30)), clock: ContinuousClock(),
///     now: now)
/// ```
public struct BudgetAdmission: Sendable, Hashable {
    /// The longest a call waits for room; zero refuses it at once (`budget.exceeded`).
    public var wait: Duration
    /// How often a waiting call re-reads the store, to see reservations settled by other processes.
    public var pollInterval: Duration

    public init(wait: Duration = .seconds(30), pollInterval: Duration = .milliseconds(250)) {
        self.wait = max(.zero, wait)
        self.pollInterval = max(.milliseconds(1), pollInterval)
    }

    /// The longest wait `kam.yaml` may configure: a waiting call holds its request (and a server's connection) open.
    public static let longestWaitSeconds: Double = 3600

    /// No waiting: a call that does not fit beside the calls in flight is refused at once.
    public static let refuseAtOnce = BudgetAdmission(wait: .zero)

    /// `wait` in seconds, as `kam.yaml` writes it (`budgets.admission_wait_seconds`).
    public init(waitSeconds: Double, pollInterval: Duration = .milliseconds(250)) {
        self.init(wait: .milliseconds(Int64((max(0, waitSeconds) * 1000).rounded())), pollInterval: pollInterval)
    }

    /// A wait as a person reads it: `30 s`, `2.5 s`.
    public static func describe(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        if fraction == 0 { return "\(whole) s" }
        return "\(Double(whole) + Double(fraction) / 1e18) s"
    }
}
