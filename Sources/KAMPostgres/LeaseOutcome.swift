import Dispatch
import Synchronization

/// The outcome of async work on a leased connection, waited for by a synchronous caller.
///
/// The work (`PostgresStore.onLoop`) runs as one task on the connection's event loop; the caller's
/// thread blocks here once for the whole of it, instead of once a statement. A `ConnectionHandoff` (the synchronous
/// `PostgresStore.transaction`) waits here too, for a value that is the leased connection itself. The wait for the lease is bounded
/// (the pool may be exhausted); once the connection is leased the work is bounded by `statement_timeout`. A
/// caller that gave up before the lease marks the outcome abandoned, and work that is leased later does not run.
final class LeaseOutcome<Value: Sendable>: Sendable {
    private struct State {
        var leased = false
        var abandoned = false
        var result: Result<Value, any Error>?
    }

    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    /// The work's side, once it holds a connection: false when the caller gave up waiting, and the work must not run.
    func lease() -> Bool {
        state.withLock { state in
            if !state.abandoned { state.leased = true }
            return !state.abandoned
        }
    }

    /// The work's side: its result, or the error that ended it (the lease's own, or the work's).
    func finish(_ result: Result<Value, any Error>) {
        let signal = state.withLock { state in
            guard state.result == nil, !state.abandoned else { return false }
            state.result = result
            return true
        }
        if signal { done.signal() }
    }

    /// The caller's side: blocks until the work finished; nil when no connection was leased within `leaseTimeout`.
    func wait(leaseTimeout: Duration) -> Result<Value, any Error>? {
        let (seconds, attoseconds) = leaseTimeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .timedOut {
            let waitOn = state.withLock { state in
                if !state.leased, state.result == nil { state.abandoned = true }
                return !state.abandoned
            }
            guard waitOn else { return nil }
            done.wait()
        }
        return state.withLock { $0.result }
    }
}
