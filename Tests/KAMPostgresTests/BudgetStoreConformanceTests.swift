import Foundation
import KAMCore
import KAMTesting
import Synchronization
import Testing

/// The budget ledger's behaviour, written once and run against every store: memory, SQLite and PostgreSQL.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Budget store conformance")
struct BudgetStoreConformanceTests {
    static let attribution = CallAttribution(userID: "ana", teamID: "east", clientID: "acme", promptID: "follow-up")

    @Test("reserve, settle, release and refuse", arguments: LedgerStoreKind.allCases)
    func reserveSettleRelease(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let ledger = world.ledger()
            try await ledger.setBudget(
                Budget(scope: .client("acme"), period: .month, amount: Money(picodollars: 500_000)))
            let first = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            let second = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            let refusal = await #expect(throws: BudgetError.self) {
                try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            }
            #expect(refusal?.code == .exceeded)
            #expect(refusal?.budget?.id == "client:acme/month")
            #expect(refusal?.reserved == Money(picodollars: 400_000))
            try await ledger.settle(first, cost: .known(Money(picodollars: 50_000)))
            try await ledger.release(second)
            let status = try await ledger.status(id: "client:acme/month")
            #expect(status.spent == Money(picodollars: 50_000))
            #expect(status.reserved == .zero)
            // Every field survived the round trip through the store.
            let stored = try world.store.read { try $0.reservation(id: first.id) }
            #expect(stored?.state == .settled)
            #expect(stored?.cost == Money(picodollars: 50_000))
            #expect(stored?.amount == Money(picodollars: 200_000))
            #expect(stored?.budgetIDs == ["client:acme/month"])
            #expect(stored?.attribution == Self.attribution)
            #expect(stored?.createdAt == LedgerWorld.day)
            #expect(stored?.expiresAt == LedgerWorld.day.addingTimeInterval(ledger.reservationLifetime))
            #expect(try world.store.read { try $0.reservation(id: second.id) }?.state == .released)
            #expect(try world.store.read { try $0.reservation(id: "no-such-id") } == nil)
        }
    }

    @Test("budgets are saved, updated in place, listed by id and deleted", arguments: LedgerStoreKind.allCases)
    func budgets(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let user = Budget(scope: .user("ana"), period: .day, amount: Money(dollars: 1))
            let global = Budget(scope: .global, period: .total, amount: Money(dollars: 5))
            try world.store.write { transaction in
                try transaction.saveBudget(user)
                try transaction.saveBudget(global)
                try transaction.saveBudget(Budget(scope: .user("ana"), period: .day, amount: Money(dollars: 2)))
            }
            let listed = try world.store.read { try $0.budgets() }
            #expect(listed.map(\.id) == [global.id, user.id].sorted())
            #expect(listed.first { $0.id == user.id }?.amount == Money(dollars: 2))
            #expect(try world.store.write { try $0.deleteBudget(id: user.id) })
            #expect(try !world.store.write { try $0.deleteBudget(id: user.id) })
            #expect(try world.store.read { try $0.budgets() } == [global])
        }
    }

    @Test("a write whose body throws changes nothing", arguments: LedgerStoreKind.allCases)
    func rollback(kind: LedgerStoreKind) async throws {
        struct Stop: Error {}
        try await kind.withWorld { world in
            let reservation = Self.reservation("r1", amount: 100, at: LedgerWorld.day)
            #expect(throws: Stop.self) {
                try world.store.write { transaction in
                    try transaction.saveBudget(Budget(scope: .global, period: .day, amount: Money(dollars: 1)))
                    try transaction.insertReservation(reservation)
                    throw Stop()
                }
            }
            #expect(try world.store.read { try $0.budgets() }.isEmpty)
            #expect(try world.store.read { try $0.reservation(id: "r1") } == nil)
            // The store is usable after the rollback.
            try world.store.write { try $0.insertReservation(reservation) }
            #expect(try world.store.read { try $0.reservation(id: "r1") }?.amount == Money(picodollars: 100))
        }
    }

    @Test(
        "totals count by scope and window: settled at their cost, live reservations at their amount",
        arguments: LedgerStoreKind.allCases)
    func totalsByScopeAndWindow(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let day = LedgerWorld.day
            let other = CallAttribution(
                userID: "bo", teamID: "west", clientID: "globex", promptID: "check-in", runID: "r-9")
            let rows = [
                Self.reservation("settled", amount: 1_000, at: day, state: .settled, cost: 300),
                Self.reservation("settled-unpriced", amount: 700, at: day, state: .settled),
                Self.reservation("live", amount: 2_000, at: day),
                Self.reservation("expired", amount: 4_000, at: day, expiresAt: day.addingTimeInterval(-1)),
                Self.reservation("released", amount: 8_000, at: day, state: .released),
                Self.reservation("abandoned", amount: 16_000, at: day, state: .abandoned),
                Self.reservation(
                    "yesterday", amount: 32_000, at: day.addingTimeInterval(-86_400), state: .settled, cost: 32_000),
                Self.reservation("other", amount: 64_000, at: day, attribution: other, state: .settled, cost: 64_000),
            ]
            try world.store.write { transaction in
                for row in rows { try transaction.insertReservation(row) }
            }
            let utc = TimeZone(identifier: "UTC")!
            let today = BudgetPeriod.day.window(containing: day, timeZone: utc)
            let month = BudgetPeriod.month.window(containing: day, timeZone: utc)
            func totals(_ scope: BudgetScope, _ window: DateInterval) throws -> BudgetTotals {
                try world.store.read { try $0.totals(for: scope, in: window, now: day) }
            }
            let ours = BudgetTotals(spent: Money(picodollars: 1_000), reserved: Money(picodollars: 2_000))
            for scope in [BudgetScope.user("ana"), .team("east"), .client("acme"), .prompt("follow-up")] {
                #expect(try totals(scope, today) == ours, "\(scope)")
            }
            #expect(
                try totals(.global, today)
                    == BudgetTotals(spent: Money(picodollars: 65_000), reserved: Money(picodollars: 2_000)))
            #expect(try totals(.user("ana"), month).spent == Money(picodollars: 33_000))
            #expect(try totals(.run("r-9"), today) == BudgetTotals(spent: Money(picodollars: 64_000), reserved: .zero))
            #expect(try totals(.client("nobody"), today) == BudgetTotals())
            // The window's end is exclusive, its start inclusive.
            let tomorrow = BudgetPeriod.day.window(containing: day.addingTimeInterval(86_400), timeZone: utc)
            #expect(try totals(.user("ana"), tomorrow) == BudgetTotals())
            let yesterday = BudgetPeriod.day.window(containing: day.addingTimeInterval(-86_400), timeZone: utc)
            #expect(try totals(.user("ana"), yesterday).spent == Money(picodollars: 32_000))
        }
    }

    @Test(
        "a client's reservations come back oldest first; detaching them keeps the spend under every other scope",
        arguments: LedgerStoreKind.allCases)
    func detachClient(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let day = LedgerWorld.day
            let other = CallAttribution(userID: "bo", clientID: "globex")
            let rows = [
                Self.reservation("b", amount: 500, at: day.addingTimeInterval(2), state: .settled, cost: 200),
                Self.reservation("a", amount: 300, at: day.addingTimeInterval(1)),
                Self.reservation("g", amount: 900, at: day, attribution: other, state: .settled, cost: 900),
            ]
            try world.store.write { transaction in
                for row in rows { try transaction.insertReservation(row) }
            }
            #expect(try world.store.read { try $0.reservations(clientID: "acme") } == [rows[1], rows[0]])
            let window = BudgetPeriod.day.window(containing: day, timeZone: TimeZone(identifier: "UTC")!)
            func totals(_ scope: BudgetScope) throws -> BudgetTotals {
                try world.store.read { try $0.totals(for: scope, in: window, now: day) }
            }
            let global = try totals(.global)
            let user = try totals(.user("ana"))
            #expect(try world.store.write { try $0.detachReservations(clientID: "acme") } == 2)
            #expect(try world.store.read { try $0.reservations(clientID: "acme") }.isEmpty)
            #expect(try totals(.client("acme")) == BudgetTotals())
            #expect(try totals(.global) == global)
            #expect(try totals(.user("ana")) == user)
            #expect(try world.store.read { try $0.reservation(id: "b") }?.attribution.clientID == nil)
            #expect(try world.store.read { try $0.reservations(clientID: "globex") } == [rows[2]])
            #expect(try world.store.write { try $0.detachReservations(clientID: "acme") } == 0)
        }
    }

    @Test("a run's budget holds only the calls of that run", arguments: LedgerStoreKind.allCases)
    func runBudget(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let ledger = world.ledger()
            try await ledger.setBudget(
                Budget(scope: .run("refine-1"), period: .total, amount: Money(picodollars: 300_000)))
            #expect(try await ledger.budgets().map(\.id) == ["run:refine-1/total"])
            let run = CallAttribution(promptID: "draft.check-in", runID: "refine-1")
            let first = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
            #expect(first.budgetIDs == ["run:refine-1/total"])
            #expect(try world.store.read { try $0.reservation(id: first.id) }?.attribution.runID == "refine-1")
            // Another run's calls and calls of no run are not held by it.
            _ = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(runID: "refine-2"))
            _ = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(promptID: "draft.check-in"))
            await #expect(throws: BudgetError.self) {
                try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
            }
            try await ledger.settle(first, cost: .known(Money(picodollars: 50_000)))
            _ = try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: run)
            #expect(try await ledger.status(id: "run:refine-1/total").spent == Money(picodollars: 50_000))
        }
    }

    @Test(
        "a lease that ended is abandoned by the next reservation and stops holding money",
        arguments: LedgerStoreKind.allCases)
    func abandonedLease(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let clock = ManualWallClock(LedgerWorld.day)
            let ledger = world.ledger(now: { clock.now })
            try await ledger.setBudget(Budget(scope: .global, period: .day, amount: Money(picodollars: 200_000)))
            let killed = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            await #expect(throws: BudgetError.self) {
                try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            }
            clock.advance(ledger.reservationLifetime)
            let next = try await ledger.reserve(
                model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
            #expect(try world.store.read { try $0.reservation(id: killed.id) }?.state == .abandoned)
            #expect(try world.store.read { try $0.reservation(id: next.id) }?.state == .reserved)
            #expect(try await ledger.abandonExpiredReservations() == 0)
            clock.advance(ledger.reservationLifetime)
            #expect(try await ledger.abandonExpiredReservations() == 1)
            #expect(try await ledger.status(id: "global/day").reserved == .zero)
        }
    }

    @Test(
        "a client's write waits until another client's write has committed, then sees it",
        arguments: LedgerStoreKind.allCases)
    func writesAreExclusive(kind: LedgerStoreKind) async throws {
        try await kind.withWorld { world in
            let events = Mutex<[String]>([])
            let window = BudgetPeriod.day.window(containing: LedgerWorld.day, timeZone: TimeZone(identifier: "UTC")!)
            let (second, secondDone) = AsyncStream.makeStream(of: BudgetTotals?.self)
            try world.budgetStores[0].write { transaction in
                try transaction.insertReservation(Self.reservation("first", amount: 100, at: LedgerWorld.day))
                events.withLock { $0.append("first writes") }
                // The second client starts its write while the first is inside its transaction, on a thread of its
                // own, as another process would; it must not get in before the first commits.
                Thread.detachNewThread {
                    let totals = try? world.budgetStores[1].write { transaction in
                        events.withLock { $0.append("second writes") }
                        return try transaction.totals(for: .global, in: window, now: LedgerWorld.day)
                    }
                    secondDone.yield(totals)
                    secondDone.finish()
                }
                // Ample time for the second write to get in, were it not excluded.
                Thread.sleep(forTimeInterval: 0.3)
                events.withLock { $0.append("first commits") }
            }
            var seen: BudgetTotals??
            for await totals in second { seen = totals }
            #expect(events.withLock { $0 } == ["first writes", "first commits", "second writes"])
            #expect(seen == .some(BudgetTotals(reserved: Money(picodollars: 100))))
        }
    }

    @Test(
        "many concurrent reservations through several clients of one store never overspend",
        arguments: LedgerStoreKind.allCases)
    func noOverspendUnderConcurrency(kind: LedgerStoreKind) async throws {
        let clients = 4
        try await kind.withWorld(clients: clients) { world in
            let ledgers = (0..<clients).map { world.ledger($0) }
            // Worst case 200,000 each; the budget holds 20 of them, and each call's real cost is its worst case.
            try await ledgers[0].setBudget(Budget(scope: .global, period: .day, amount: Money(picodollars: 4_000_000)))
            let granted = await withTaskGroup(of: Bool.self, returning: Int.self) { group in
                for index in 0..<120 {
                    group.addTask {
                        do {
                            let reservation = try await ledgers[index % clients].reserve(
                                model: "m", inputTokens: 100, maxOutputTokens: 50, for: Self.attribution)
                            // Settled through another client, as a call's end may reach another process.
                            try await ledgers[(index + 1) % clients].settle(
                                reservation, cost: .known(Money(picodollars: 200_000)))
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 20)
            let status = try await ledgers[clients - 1].status(id: "global/day")
            #expect(status.spent == Money(picodollars: 4_000_000))
            #expect(status.reserved == .zero)
        }
    }

    static func reservation(
        _ id: String, amount: Int64, at createdAt: Date, expiresAt: Date? = nil,
        attribution: CallAttribution = attribution,
        state: Reservation.State = .reserved, cost: Int64? = nil
    ) -> Reservation {
        Reservation(
            id: id, attribution: attribution, model: "m", amount: Money(picodollars: amount), createdAt: createdAt,
            expiresAt: expiresAt ?? createdAt.addingTimeInterval(600), budgetIDs: ["global/day"], state: state,
            cost: cost.map(Money.init(picodollars:)))
    }
}
