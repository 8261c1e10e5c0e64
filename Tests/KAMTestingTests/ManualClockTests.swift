import KAMTesting
import Synchronization
import Testing

@Suite("ManualClock")
struct ManualClockTests {
    @Test func sleepResumesOnlyWhenTheClockReachesTheDeadline() async throws {
        let clock = ManualClock()
        let task = Task { () -> ManualClock.Instant in
            try await clock.sleep(for: .seconds(5))
            return clock.now
        }
        #expect(await clock.waitForSleepers(1))
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(try await task.value == ManualClock.Instant(offset: .seconds(5)))
        #expect(clock.sleeperCount == 0)
    }

    @Test func sleepersWakeInDeadlineOrder() async throws {
        let clock = ManualClock()
        let order = OrderLog()
        let late = Task {
            try await clock.sleep(until: .init(offset: .seconds(10)))
            order.append("late")
        }
        let early = Task {
            try await clock.sleep(until: .init(offset: .seconds(2)))
            order.append("early")
        }
        #expect(await clock.waitForSleepers(2))
        #expect(clock.nextDeadline == .init(offset: .seconds(2)))
        #expect(clock.advanceToNextDeadline())
        try await early.value
        #expect(order.entries == ["early"])
        clock.advance(to: .init(offset: .seconds(10)))
        try await late.value
        #expect(order.entries == ["early", "late"])
        #expect(!clock.advanceToNextDeadline())
    }

    @Test func waitingForSleepersIsWokenByTheSleepThatMakesTheCount() async throws {
        let clock = ManualClock()
        let waiting = Task { await clock.waitForSleepers(2, timeout: .seconds(60)) }
        let first = Task { try await clock.sleep(for: .seconds(1)) }
        let second = Task { try await clock.sleep(for: .seconds(2)) }
        #expect(await waiting.value)
        #expect(clock.sleeperCount == 2)
        clock.advance(by: .seconds(2))
        try await first.value
        try await second.value
    }

    @Test func waitingForSleepersGivesUpAfterItsTimeout() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(1)) }
        #expect(await clock.waitForSleepers(1))
        #expect(await clock.waitForSleepers(2, timeout: .milliseconds(50)) == false)
        task.cancel()
    }

    @Test func aPastDeadlineReturnsAtOnce() async throws {
        let clock = ManualClock(start: .init(offset: .seconds(100)))
        try await clock.sleep(until: .init(offset: .seconds(50)))
        #expect(clock.now.offset == .seconds(100))
    }

    @Test func cancellingASleeperThrowsCancellationError() async {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        #expect(await clock.waitForSleepers(1))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func itWorksAsAnyClockOfDuration() async throws {
        let manual = ManualClock()
        let clock: any Clock<Duration> = manual
        let task = Task { try await clock.sleep(for: .milliseconds(250), tolerance: nil) }
        #expect(await manual.waitForSleepers(1))
        manual.advance(by: .milliseconds(250))
        try await task.value
        #expect(manual.now.offset == .milliseconds(250))
    }
}

/// What happened, in order, across tasks.
final class OrderLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ entry: String) { storage.withLock { $0.append(entry) } }
    var entries: [String] { storage.withLock { $0 } }
}
