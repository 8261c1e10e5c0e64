import KAMTesting
import Testing

@Suite("runAdvancing")
struct RunAdvancingTests {
    struct Boom: Error, Equatable {}

    @Test func advancesTheManualClockThroughEverySleep() async throws {
        let clock = ManualClock()
        let wokeAt = try await runAdvancing(clock) { () -> [Duration] in
            var times: [Duration] = []
            try await clock.sleep(for: .seconds(5))
            times.append(clock.now.offset)
            try await clock.sleep(for: .seconds(10))
            times.append(clock.now.offset)
            return times
        }
        #expect(wokeAt == [.seconds(5), .seconds(15)])
        #expect(clock.now.offset == .seconds(15))
        #expect(clock.sleeperCount == 0)
    }

    @Test func leavesTheClockAloneWhenNothingSleeps() async throws {
        let clock = ManualClock()
        let value = try await runAdvancing(clock) { 42 }
        #expect(value == 42)
        #expect(clock.now.offset == .zero)
    }

    @Test func rethrowsTheOperationsError() async throws {
        let clock = ManualClock()
        await #expect(throws: Boom.self) {
            try await runAdvancing(clock) { () -> Int in
                try await clock.sleep(for: .seconds(1))
                throw Boom()
            }
        }
        #expect(clock.now.offset == .seconds(1))
    }
}
