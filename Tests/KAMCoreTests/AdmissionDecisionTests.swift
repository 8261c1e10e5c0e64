import Foundation
import Testing

@testable import KAMCore

/// The admission policy: refuse only what spent money leaves no room for, wait for the rest, in order.
@Suite("Budget admission decision")
struct AdmissionDecisionTests {
    static let window = DateInterval(start: Date(timeIntervalSince1970: 1_795_000_000), duration: 86_400)

    func load(_ scope: BudgetScope, limit: Int64, spent: Int64, reserved: Int64) -> AdmissionDecision.Load {
        AdmissionDecision.Load(
            budget: Budget(scope: scope, period: .day, amount: Money(picodollars: limit)), window: Self.window,
            totals: BudgetTotals(spent: Money(picodollars: spent), reserved: Money(picodollars: reserved)))
    }

    @Test("a worst case that fits beside what is spent and reserved is admitted; one exactly at the limit too")
    func admits() {
        let loads = [load(.global, limit: 1_000, spent: 300, reserved: 200)]
        #expect(AdmissionDecision.decide(estimate: Money(picodollars: 500), loads: loads, queuedAhead: []) == .admit)
        #expect(AdmissionDecision.decide(estimate: Money(picodollars: 500), loads: [], queuedAhead: ["global/day"]) == .admit)
    }

    @Test("over the limit beside the calls in flight only: wait, not refuse")
    func waitsForCallsInFlight() {
        let full = load(.global, limit: 1_000, spent: 300, reserved: 600)
        #expect(
            AdmissionDecision.decide(estimate: Money(picodollars: 500), loads: [full], queuedAhead: [])
                == .wait(full, blockedOn: ["global/day"]))
    }

    @Test("spent + worst case over the limit: refused at once, whatever is in flight or queued")
    func refusesWhatSpentMoneyLeavesNoRoomFor() {
        let spentOut = load(.client("acme"), limit: 1_000, spent: 600, reserved: 0)
        let roomy = load(.global, limit: 1_000_000, spent: 0, reserved: 0)
        #expect(
            AdmissionDecision.decide(
                estimate: Money(picodollars: 401), loads: [roomy, spentOut], queuedAhead: ["client:acme/day"])
                == .refuse(spentOut))
        // 600 + 400 is exactly the limit: it can still be paid for.
        #expect(AdmissionDecision.decide(estimate: Money(picodollars: 400), loads: [spentOut], queuedAhead: []) == .admit)
    }

    @Test("a budget an earlier call waits for makes a later one wait even when it would fit (no overtaking)")
    func keepsOrderOfArrival() {
        let acme = load(.client("acme"), limit: 1_000, spent: 0, reserved: 100)
        let global = load(.global, limit: 1_000_000, spent: 0, reserved: 0)
        #expect(
            AdmissionDecision.decide(estimate: Money(picodollars: 10), loads: [global, acme], queuedAhead: ["client:acme/day"])
                == .wait(acme, blockedOn: ["client:acme/day"]))
        // A call under other budgets is not held up by acme's queue.
        #expect(
            AdmissionDecision.decide(estimate: Money(picodollars: 10), loads: [global], queuedAhead: ["client:acme/day"])
                == .admit)
    }

    @Test("a call waits on the budgets that block it only, not on every budget that applies")
    func waitsOnBlockingBudgetsOnly() {
        let acme = load(.client("acme"), limit: 1_000, spent: 0, reserved: 900)
        let global = load(.global, limit: 1_000_000, spent: 0, reserved: 900)
        let prompt = load(.prompt("draft.check-in"), limit: 1_000, spent: 0, reserved: 0)
        #expect(
            AdmissionDecision.decide(
                estimate: Money(picodollars: 200), loads: [global, acme, prompt], queuedAhead: ["prompt:draft.check-in/day"])
                == .wait(acme, blockedOn: ["client:acme/day", "prompt:draft.check-in/day"]))
    }
}
