import Foundation
import KAMTesting
import Testing

@testable import KAMCore

/// Admission by waiting: a call that fits what is spent waits for the calls in flight instead of being refused.
@Suite("Budget admission", .timeLimit(.minutes(10)))
struct BudgetAdmissionTests {
    static let prices = PriceTable(models: [
        "m": ModelPrice(provider: "p", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000))
    ])
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    /// 100 × 1,000 + 50 × 2,000: the worst case of `reserve(_:)` below.
    static let worstCase = Money(picodollars: 200_000)

    struct World {
        var ledger: BudgetLedger
        var store: InMemoryBudgetStore
        var clock: ManualClock
    }

    func makeWorld(
        limit: Int64, wait: Duration = .seconds(30), poll: Duration = .milliseconds(250), store: InMemoryBudgetStore? = nil
    ) -> World {
        let store = store ?? InMemoryBudgetStore(budgets: [Budget(scope: .global, period: .day, amount: Money(picodollars: limit))])
        let clock = ManualClock()
        let ledger = BudgetLedger(
            store: store, prices: Self.prices, admission: BudgetAdmission(wait: wait, pollInterval: poll),
            clock: clock, now: { Self.start })
        return World(ledger: ledger, store: store, clock: clock)
    }

    func reserve(_ ledger: BudgetLedger, client: String = "acme", output: Int = 50) async throws -> Reservation {
        try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: output, for: CallAttribution(clientID: client))
    }

    /// Yields until `count` calls of the ledger wait for budget (no time passes).
    func waitUntilWaiting(_ ledger: BudgetLedger, _ count: Int) async -> Bool {
        for _ in 0..<100_000 {
            if await ledger.waitingCalls >= count { return true }
            await Task.yield()
        }
        return false
    }

    @Test("a call that fits beside what is spent waits for the call in flight and is admitted when it settles")
    func waitsThenAdmitted() async throws {
        let world = makeWorld(limit: 300_000)
        let first = try await reserve(world.ledger)
        let second = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        #expect(world.store.reservations.count == 1, "the waiting call holds nothing")
        // The first call cost 60,000 of its 200,000: 60,000 + 200,000 fits 300,000.
        try await world.ledger.settle(first, cost: .known(Money(picodollars: 60_000)))
        let admitted = try await second.value
        #expect(admitted.amount == Self.worstCase)
        #expect(world.clock.now.offset == .zero, "woken by the settlement, not by the clock")
        let status = try await world.ledger.status(id: "global/day")
        #expect(status.spent == Money(picodollars: 60_000) && status.reserved == Self.worstCase)
        #expect(await world.ledger.waitingCalls == 0)
    }

    @Test("a release (a failed call) wakes the waiting call too")
    func releaseWakes() async throws {
        let world = makeWorld(limit: 300_000)
        let first = try await reserve(world.ledger)
        let second = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        try await world.ledger.release(first)
        _ = try await second.value
    }

    @Test("spent + worst case over the limit is refused at once, without waiting")
    func refusedAtOnce() async throws {
        let world = makeWorld(limit: 300_000)
        let first = try await reserve(world.ledger)
        try await world.ledger.settle(first, cost: .known(Money(picodollars: 150_000)))
        let held = try await reserve(world.ledger, output: 0)  // 100,000 in flight
        let error = await #expect(throws: BudgetError.self) { try await reserve(world.ledger) }
        #expect(error?.code == .exceeded)
        #expect(error?.spent == Money(picodollars: 150_000))
        #expect(await world.ledger.waitingCalls == 0)
        #expect(world.clock.sleeperCount == 0)
        try await world.ledger.release(held)
    }

    @Test("when the calls in flight outlast the wait: budget.wait-expired, nothing reserved")
    func waitExpires() async throws {
        // A poll every 5 s, not the default 250 ms: the same behaviour in 6 turns of the loop below instead of 120,
        // each several task hops, which a full test run on a loaded 2-core machine made outlast the time limit.
        let world = makeWorld(limit: 300_000, wait: .seconds(30), poll: .seconds(5))
        _ = try await reserve(world.ledger)
        let second = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        // The waiting call looks again at every poll (5 s) and gives up after 30 s.
        var polls = 0
        while world.clock.now.offset < .seconds(30) {
            await world.clock.waitForSleepers(1)
            world.clock.advanceToNextDeadline()
            polls += 1
        }
        let error = await #expect(throws: BudgetError.self) { try await second.value }
        #expect(error?.code == .waitExpired)
        #expect(error?.budget?.id == "global/day")
        #expect(error?.reserved == Self.worstCase)
        #expect(error?.message.contains("admission_wait_seconds") == true)
        #expect(error?.message.contains("30 s") == true)
        #expect(polls == 6)
        #expect(world.store.reservations.count == 1)
        #expect(await world.ledger.waitingCalls == 0)
    }

    @Test("a waiting call sees a settlement made by another process (another ledger on the store) at its next poll")
    func pollsForOtherProcesses() async throws {
        let shared = InMemoryBudgetStore(budgets: [Budget(scope: .global, period: .day, amount: Money(picodollars: 300_000))])
        let here = makeWorld(limit: 0, store: shared)
        let there = makeWorld(limit: 0, store: shared)
        let first = try await reserve(there.ledger)
        let second = Task { try await reserve(here.ledger) }
        #expect(await waitUntilWaiting(here.ledger, 1))
        try await there.ledger.settle(first, cost: .known(Money(picodollars: 10_000)))
        // No signal crosses processes: still waiting until the poll interval passes on its clock.
        await here.clock.waitForSleepers(1)
        #expect(await here.ledger.waitingCalls == 1)
        here.clock.advance(by: .milliseconds(250))
        _ = try await second.value
        #expect(here.clock.now.offset == .milliseconds(250))
    }

    @Test("order of arrival: a later small call that would fit does not overtake an earlier waiting one")
    func noOvertaking() async throws {
        let world = makeWorld(limit: 500_000)
        let inFlight = try await reserve(world.ledger, output: 100)  // 300,000
        // 300,000 + 300,000 is over 500,000: the large call waits.
        let large = Task { try await reserve(world.ledger, output: 100) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        // 300,000 + 200,000 fits, but the large call arrived first: the small one waits behind it.
        let small = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 2))
        #expect(world.store.reservations.count == 1, "the small call did not overtake the large one")
        try await world.ledger.settle(inFlight, cost: .known(Money(picodollars: 0)))
        let first = try await large.value
        let second = try await small.value
        #expect(first.amount == Money(picodollars: 300_000) && second.amount == Self.worstCase)
        let status = try await world.ledger.status(id: "global/day")
        #expect(status.reserved == Money(picodollars: 500_000))
    }

    @Test("a client whose budget is full does not hold up another client's calls through the global budget")
    func noHoldUpThroughSharedBudget() async throws {
        let store = InMemoryBudgetStore(budgets: [
            Budget(scope: .global, period: .day, amount: Money(picodollars: 10_000_000)),
            Budget(scope: .client("acme"), period: .day, amount: Money(picodollars: 300_000)),
        ])
        let world = makeWorld(limit: 0, store: store)
        _ = try await reserve(world.ledger)
        let waiting = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        // Globex falls under the global budget acme's waiting call also falls under, but acme waits on its own.
        let other = try await reserve(world.ledger, client: "globex")
        #expect(other.budgetIDs == ["global/day"])
        #expect(await world.ledger.waitingCalls == 1)
        // A second acme call queues behind the first: acme's budget is taken by an earlier waiter.
        let behind = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 2))
        behind.cancel()
        waiting.cancel()
        _ = try? await waiting.value
        _ = try? await behind.value
        #expect(await world.ledger.waitingCalls == 0)
    }

    @Test("a cancelled waiting call leaves the queue and holds nothing")
    func cancelled() async throws {
        let world = makeWorld(limit: 300_000)
        _ = try await reserve(world.ledger)
        let second = Task { try await reserve(world.ledger) }
        #expect(await waitUntilWaiting(world.ledger, 1))
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        #expect(await world.ledger.waitingCalls == 0)
        #expect(world.store.reservations.count == 1)
    }

    @Test("an admission wait of zero refuses at once, as before (budget.exceeded)")
    func zeroWait() async throws {
        let world = makeWorld(limit: 300_000, wait: .zero)
        _ = try await reserve(world.ledger)
        let error = await #expect(throws: BudgetError.self) { try await reserve(world.ledger) }
        #expect(error?.code == .exceeded)
        #expect(await world.ledger.waitingCalls == 0)
    }
}
