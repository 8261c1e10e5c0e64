import Synchronization

/// A clock that only moves when a test moves it: `sleep` suspends until `advance` passes its deadline.
///
/// Retries, backoff, rate limits and schedules take an injected `any Clock<Duration>`; giving them a
/// `ManualClock` makes their tests deterministic and instant — nothing ever really sleeps. A sleeper
/// whose task is cancelled is resumed at once with `CancellationError`, as with `ContinuousClock`.
///
/// ```swift
/// let clock = ManualClock()
/// let task = Task { try await clock.sleep(for: .seconds(5)) }
/// await clock.waitForSleepers(1)
/// clock.advance(by: .seconds(5))   // the task resumes
/// ```
public final class ManualClock: Clock, Sendable {
    /// A point on the manual clock: the time advanced since it was created.
    public struct Instant: InstantProtocol, Sendable, Hashable, CustomStringConvertible {
        /// Time since the clock's start.
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "ManualClock.Instant(\(offset))" }
    }

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        /// Ids whose task was cancelled before its continuation was registered.
        var cancelledEarly: Set<UInt64> = []
        /// Tasks in `waitForSleepers`, each resumed once as many tasks sleep as it waits for (or at its time-out).
        var watchers: [Watcher] = []
        var nextWatcherID: UInt64 = 0
        /// Watcher ids whose time ran out before the watcher was registered.
        var expiredEarly: Set<UInt64> = []

        /// Removes the watchers the sleepers now satisfy, to be resumed outside the lock.
        mutating func satisfiedWatchers() -> [Watcher] {
            let count = sleepers.count
            let due = watchers.filter { $0.count <= count }
            watchers.removeAll { $0.count <= count }
            return due
        }
    }

    private struct Watcher {
        var id: UInt64
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private let state: Mutex<State>

    /// A clock at `start` (zero by default).
    public init(start: Instant = Instant(offset: .zero)) {
        state = Mutex(State(now: start))
    }

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// How many tasks are suspended in `sleep` right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline any sleeper waits for, if one does.
    public var nextDeadline: Instant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Suspends until the clock is advanced to `deadline` (returns at once if it is already there).
    ///
    /// - Throws: `CancellationError` when the task is cancelled, before or while sleeping.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome { case wait, ready, cancelled }
                let (outcome, watchers): (Outcome, [Watcher]) = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return (.cancelled, []) }
                    if deadline <= state.now { return (.ready, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (.wait, state.satisfiedWatchers())
                }
                for watcher in watchers { watcher.continuation.resume(returning: true) }
                switch outcome {
                case .wait: break
                case .ready: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation: CheckedContinuation<Void, any Error>? = state.withLock { state in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index).continuation
                }
                state.cancelledEarly.insert(id)
                return nil
            }
            continuation?.resume(throwing: CancellationError())
        }
        // A sleep that finished normally leaves no trace in `cancelledEarly`.
        _ = state.withLock { $0.cancelledEarly.remove(id) }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        let target = state.withLock { $0.now.advanced(by: duration) }
        advance(to: target)
    }

    /// Moves the clock to `instant` (never backwards) and wakes the sleepers whose deadline has come.
    public func advance(to instant: Instant) {
        let woken: [Sleeper] = state.withLock { state in
            if instant > state.now { state.now = instant }
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted {
                $0.deadline != $1.deadline ? $0.deadline < $1.deadline : $0.id < $1.id
            }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Advances to the earliest sleeper's deadline and wakes it; false when nobody sleeps.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let deadline = nextDeadline else { return false }
        advance(to: deadline)
        return true
    }

    /// Suspends until at least `count` tasks sleep on the clock, so a test advances only once the code under test
    /// is waiting; returns false if that has not happened after `timeout` of real time.
    ///
    /// Woken by the sleep that makes the count, not by polling: a test waiting here takes no turn of the
    /// cooperative pool, which a loaded machine running many tests at once needs for the code under test.
    @discardableResult
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(30)) async -> Bool {
        let id: UInt64? = state.withLock { state in
            if state.sleepers.count >= count { return nil }
            defer { state.nextWatcherID += 1 }
            return state.nextWatcherID
        }
        guard let id else { return true }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            let watcher: Watcher? = state.withLock { state in
                guard let index = state.watchers.firstIndex(where: { $0.id == id }) else {
                    state.expiredEarly.insert(id)
                    return nil
                }
                return state.watchers.remove(at: index)
            }
            watcher?.continuation.resume(returning: false)
        }
        defer {
            timer.cancel()
            _ = state.withLock { $0.expiredEarly.remove(id) }
        }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer: Bool? = state.withLock { state in
                if state.sleepers.count >= count { return true }
                if state.expiredEarly.contains(id) { return false }
                state.watchers.append(Watcher(id: id, count: count, continuation: continuation))
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }
}
