import Foundation
import KAMTesting
import Synchronization
import Testing

@Suite("HeldOnThread", .timeLimit(.minutes(10)))
struct HeldOnThreadTests {
    struct Refused: Error, Equatable {}

    @Test("a hold is held until the test lets go, and its work ends before letGo returns")
    func holdsUntilLetGo() async throws {
        let steps = Mutex<[String]>([])
        let hold = HeldOnThread { whileHeld in
            steps.withLock { $0.append("holding") }
            whileHeld()
            steps.withLock { $0.append("let go") }
        }
        try await hold.untilHeld()
        #expect(steps.withLock { $0 } == ["holding"])
        hold.letGo()
        #expect(steps.withLock { $0 } == ["holding", "let go"])
        // Once held, asking again answers at once, though the hold is over.
        try await hold.untilHeld()
    }

    @Test("a hold that fails before it holds is the waiting test's error, async or not, never a wait that lasts")
    func failureBeforeHoldingIsThrown() async throws {
        let hold = HeldOnThread { _ in throw Refused() }
        await #expect(throws: Refused.self) { try await hold.untilHeld() }
        #expect(throws: Refused.self) { try hold.untilHeld(timeout: .seconds(30)) }
        hold.letGo()
    }

    @Test("a hold that returns without holding, or holds too late for a synchronous wait, is NeverHeld")
    func neverHeld() async throws {
        let returned = HeldOnThread { _ in }
        await #expect(throws: HeldOnThread.NeverHeld.self) { try await returned.untilHeld() }
        returned.letGo()

        let late = HeldOnThread { whileHeld in
            Thread.sleep(forTimeInterval: 0.5)
            whileHeld()
        }
        #expect(throws: HeldOnThread.NeverHeld.self) { try late.untilHeld(timeout: .milliseconds(20)) }
        try late.untilHeld(timeout: .seconds(30))
        late.letGo()
    }
}
