import Synchronization

/// Wakes one call waiting for budget: signalled by the ledger when money may have been freed, awaited by
/// the call with a timeout on the injected clock.
///
/// A signal that comes while nobody waits is kept, so the next wait returns at once: a reservation
/// settled between a call's check and its wait is never missed.
final class AdmissionSignal: Sendable {
    private struct State {
        var pending = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiting call, or the next wait when nobody waits now.
    func signal() {
        let continuation: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard let continuation = state.continuation else {
                state.pending = true
                return nil
            }
            state.continuation = nil
            return continuation
        }
        continuation?.resume()
    }

    /// Returns at the next signal, after `timeout` on the clock of `sleep`, or when the task is cancelled,
    /// whichever comes first.
    func wait(atMost timeout: Duration, sleep: @escaping @Sendable (Duration) async throws -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sleep(timeout) }
            group.addTask { await self.next() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at the next signal (at once if one is pending) or when the task is cancelled.
    private func next() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now: Bool = state.withLock { state in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.continuation = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
