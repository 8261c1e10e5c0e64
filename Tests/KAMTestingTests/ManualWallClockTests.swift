import Foundation
import KAMTesting
import Testing

@Suite("ManualWallClock")
struct ManualWallClockTests {
    @Test func staysPutUntilMovedThenMovesByExactlyWhatItIsTold() {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let clock = ManualWallClock(start)
        #expect(clock.now == start)
        #expect(clock.now == start)
        clock.advance(90)
        #expect(clock.now == start.addingTimeInterval(90))
        clock.advance(days: 2)
        #expect(clock.now == start.addingTimeInterval(90 + 2 * 86_400))
        clock.set(start.addingTimeInterval(5))
        #expect(clock.now == start.addingTimeInterval(5))
    }
}
