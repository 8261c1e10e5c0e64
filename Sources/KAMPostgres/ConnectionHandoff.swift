import Dispatch
import PostgresNIO
import Synchronization

/// Lends one pooled connection from the async lease that holds it to a synchronous caller, and back.
///
/// The lease task calls `lend` inside `PostgresClient.withConnection` and stays suspended until the caller
/// calls `giveBack`, so the connection is the caller's alone for exactly that time. A caller that gave up
/// waiting (`take` timed out) marks the handoff abandoned, and a connection that arrives later goes straight
/// back to the pool.
final class ConnectionHandoff: Sendable {
    private struct State {
        var outcome: Result<PostgresConnection, any Error>?
        var abandoned = false
        var returned = false
        var giveBack: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    /// The lease's side: hands the connection over and waits until the caller is done with it.
    func lend(_ connection: PostgresConnection) async {
        let abandoned = state.withLock { state in
            if !state.abandoned { state.outcome = .success(connection) }
            return state.abandoned
        }
        if abandoned { return }
        ready.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let returned = state.withLock { state in
                if !state.returned { state.giveBack = continuation }
                return state.returned
            }
            if returned { continuation.resume() }
        }
    }

    /// The lease's side when no connection could be leased.
    func fail(_ error: any Error) {
        let signal = state.withLock { state in
            guard state.outcome == nil, !state.abandoned else { return false }
            state.outcome = .failure(error)
            return true
        }
        if signal { ready.signal() }
    }

    /// The caller's side: blocks until the connection is lent or the lease failed; nil when `timeout` ran out.
    func take(timeout: Duration) -> Result<PostgresConnection, any Error>? {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        _ = ready.wait(timeout: .now() + .nanoseconds(nanoseconds))
        return state.withLock { state in
            if state.outcome == nil { state.abandoned = true }
            return state.outcome
        }
    }

    /// The caller's side: it will not touch the connection again; the lease ends.
    func giveBack() {
        let continuation = state.withLock { state in
            state.returned = true
            defer { state.giveBack = nil }
            return state.giveBack
        }
        continuation?.resume()
    }
}
