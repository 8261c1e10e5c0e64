import KAMTesting
import Testing

@testable import KAMCore

@Suite("Budget admission queue")
struct AdmissionQueueTests {
    @Test("the first waiter of each budget is a head; later ones of the same budget wait behind it")
    func headsPerBudget() {
        var queue = AdmissionQueue()
        let first = queue.enqueue(budgetIDs: ["global/month", "client:acme/month"])
        let second = queue.enqueue(budgetIDs: ["global/month"])
        let other = queue.enqueue(budgetIDs: ["client:globex/month"])
        #expect(queue.heads().count == 2)
        #expect(!queue.isBehind(first))
        #expect(queue.isBehind(second))
        #expect(!queue.isBehind(other))
        #expect(queue.budgetIDs(aheadOf: second) == ["global/month", "client:acme/month"])
        #expect(queue.budgetIDs(aheadOf: nil) == ["global/month", "client:acme/month", "client:globex/month"])
        queue.remove(first)
        #expect(!queue.isBehind(second))
        #expect(queue.heads().count == 2)
        #expect(queue.count == 2)
    }

    @Test("a signal sent while nobody waits is kept for the next wait", .timeLimit(.minutes(10)))
    func pendingSignal() async {
        let signal = AdmissionSignal()
        let clock = ManualClock()
        signal.signal()
        // Returns although the manual clock never moves: the kept signal ends the wait.
        await signal.wait(atMost: .seconds(3600)) { try await clock.sleep(for: $0) }
        #expect(clock.sleeperCount == 0)
    }

    @Test("a wait ends at its timeout on the injected clock when no signal comes", .timeLimit(.minutes(10)))
    func timeout() async {
        let signal = AdmissionSignal()
        let clock = ManualClock()
        let waiter = Task { await signal.wait(atMost: .seconds(2)) { try await clock.sleep(for: $0) } }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        await waiter.value
        #expect(clock.now.offset == .seconds(2))
    }
}
