import Synchronization

/// Runs an operation whose waits are on a manual clock, advancing the clock whenever it sleeps.
///
/// Nothing really sleeps: the clock jumps to the next deadline as soon as the code under test waits.
/// Tests that use it keep per-attempt timers off unless the provider really hangs, so every sleeper
/// is one the code under test is actually waiting on.
///
/// ```swift
/// let clock = ManualClock()
/// let response = try await runAdvancing(clock) { try await resilient.complete(request) }
/// ```
public func runAdvancing<T: Sendable>(
    _ clock: ManualClock, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let finished = FinishedFlag()
    let task = Task {
        defer { finished.set() }
        return try await operation()
    }
    while !finished.value {
        if clock.sleeperCount > 0 { clock.advanceToNextDeadline() }
        await Task.yield()
    }
    return try await task.value
}

/// Set once the operation of `runAdvancing` has returned or thrown.
private final class FinishedFlag: Sendable {
    private let storage = Mutex(false)
    func set() { storage.withLock { $0 = true } }
    var value: Bool { storage.withLock { $0 } }
}
