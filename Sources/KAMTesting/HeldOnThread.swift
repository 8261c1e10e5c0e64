import Foundation
import Synchronization

/// Holds something (a database's write lock, a pool's only connection) on a thread of its own until told to let go.
///
/// A test that needs "another process is in the middle of a write" starts the hold, waits until it holds, does its
/// work, and lets go. The hold never runs on a thread of Swift's cooperative pool (which has one thread a core: two
/// on the CI machine), and a hold that fails before it holds is an error for the waiting test, never a wait that
/// lasts forever. (A swallowed failure there once blocked a pool thread for good and hung the whole test run.)
///
/// For example:
///
/// ```swift
/// let hold = HeldOnThread { whileHeld in
///     try holder.write { _ in whileHeld() }   // whileHeld returns once the test lets go
/// }
/// try await hold.untilHeld()
/// // ... the work that meets the held lock ...
/// hold.letGo()
/// ```
public final class HeldOnThread: Sendable {
    private enum Phase {
        case starting
        case holding
        case failed(any Error)
        case finished
    }

    private struct State {
        var phase = Phase.starting
        /// Once held, waiting for the hold is over, whatever comes after.
        var heldOnce = false
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let state = Mutex(State())
    private let released = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let limit: Duration

    /// Starts `hold` on a new thread. `hold` calls `whileHeld` once it holds what it holds; that call returns when
    /// the test lets go (or after `limit`, so a test that forgot cannot keep the thread forever).
    public init(limit: Duration = .seconds(120), _ hold: @escaping @Sendable (_ whileHeld: () -> Void) throws -> Void) {
        self.limit = limit
        Thread { [self] in
            do {
                try hold {
                    self.settle(.holding)
                    _ = self.released.wait(timeout: .now() + .seconds(Int(self.limit.components.seconds)))
                }
                settle(.finished)
            } catch {
                settle(.failed(error))
            }
            done.signal()
        }.start()
    }

    /// Returns once the thread holds; throws what `hold` threw if it failed first, or `HeldOnThread.NeverHeld`
    /// when it returned without calling `whileHeld`.
    public func untilHeld() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let answer: Result<Void, any Error>? = state.withLock { state in
                if let answer = Self.answer(state) { return answer }
                state.waiters.append(continuation)
                return nil
            }
            if let answer { continuation.resume(with: answer) }
        }
    }

    /// The synchronous `untilHeld`, for a synchronous test: it blocks its thread, at most `timeout`.
    public func untilHeld(timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let answer = state.withLock({ Self.answer($0) }) { return try answer.get() }
            Thread.sleep(forTimeInterval: 0.002)
        }
        throw NeverHeld(reason: "not held within \(timeout)")
    }

    /// Lets go and waits until the thread has (its hold's transaction ended).
    public func letGo() {
        released.signal()
        done.wait()
    }

    /// Thrown by `untilHeld` when the hold ended without holding, or took too long.
    public struct NeverHeld: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "the hold never held: \(reason)" }
    }

    private func settle(_ phase: Phase) {
        let (waiters, answer): ([CheckedContinuation<Void, any Error>], Result<Void, any Error>?) = state.withLock {
            state in
            if case .holding = phase { state.heldOnce = true }
            state.phase = phase
            guard let answer = Self.answer(state) else { return ([], nil) }
            defer { state.waiters = [] }
            return (state.waiters, answer)
        }
        if let answer { for waiter in waiters { waiter.resume(with: answer) } }
    }

    private static func answer(_ state: State) -> Result<Void, any Error>? {
        if state.heldOnce { return .success(()) }
        switch state.phase {
        case .starting, .holding: return nil
        case .failed(let error): return .failure(error)
        case .finished: return .failure(NeverHeld(reason: "the hold returned without calling whileHeld"))
        }
    }
}
