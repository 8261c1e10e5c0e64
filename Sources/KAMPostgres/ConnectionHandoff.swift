import PostgresNIO
import Synchronization

/// Lends one pooled connection from the async lease that holds it to a synchronous caller, and back.
///
/// The lease task calls `lend` inside `PostgresClient.withConnection` and stays suspended until the caller
/// calls `giveBack`, so the connection is the caller's alone for exactly that time. The wait for the lease is the
/// one `onLoop` uses (`LeaseOutcome`, whose value here is the connection itself): a caller that gave up
/// waiting (`take` timed out) marks it abandoned, and a connection that arrives later goes straight back to the pool.
final class ConnectionHandoff: Sendable {
    private let outcome = LeaseOutcome<PostgresConnection>()
    /// The suspended lease, once the connection is lent, until the caller gives it back (`returned` if first).
    private let giveBackState = Mutex<(returned: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, nil))

    /// The lease's side: hands the connection over and waits until the caller is done with it.
    func lend(_ connection: PostgresConnection) async {
        guard outcome.lease() else { return }
        outcome.finish(.success(connection))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let returned = giveBackState.withLock { state in
                if !state.returned { state.continuation = continuation }
                return state.returned
            }
            if returned { continuation.resume() }
        }
    }

    /// The lease's side when no connection could be leased.
    func fail(_ error: any Error) {
        outcome.finish(.failure(error))
    }

    /// The caller's side: blocks until the connection is lent or the lease failed; nil when `timeout` ran out.
    func take(timeout: Duration) -> Result<PostgresConnection, any Error>? {
        outcome.wait(leaseTimeout: timeout)
    }

    /// The caller's side: it will not touch the connection again; the lease ends.
    func giveBack() {
        let continuation = giveBackState.withLock { state in
            state.returned = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}
