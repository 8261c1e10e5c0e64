import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// Reservations are leases: a killed run's reservations stop counting when their lease ends, are
/// marked `abandoned` and kept, while live ones keep holding money. Each test runs against both
/// budget stores, on a manual clock (nothing sleeps).
@Suite("Reservation leases")
struct ReservationLeaseTests {
    enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    static let prices = PriceTable(models: [
        "m": ModelPrice(provider: "p", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000))
    ])
    /// 100 input + 50 output tokens at the prices above.
    static let worstCase = Money(picodollars: 200_000)
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let lifetime: TimeInterval = 600

    /// A ledger over a fresh store of `kind`, whose wall clock is `start` plus the manual clock's time.
    struct World {
        let ledger: BudgetLedger
        let clock: ManualClock
        /// Every reservation in the store, read behind the ledger's back.
        let reservations: @Sendable () throws -> [Reservation]
    }

    func world(_ kind: StoreKind, budget amount: Money) throws -> World {
        let clock = ManualClock()
        let now: @Sendable () -> Date = {
            let offset = clock.now.offset.components
            return ReservationLeaseTests.start.addingTimeInterval(
                Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
        }
        let budgets = [Budget(scope: .global, period: .total, amount: amount)]
        switch kind {
        case .memory:
            let store = InMemoryBudgetStore(budgets: budgets)
            let ledger = BudgetLedger(store: store, prices: Self.prices, reservationLifetime: Self.lifetime, now: now)
            return World(ledger: ledger, clock: clock, reservations: { store.reservations })
        case .sqlite:
            let database = try ClientStore.inMemory()
            let store = SQLiteBudgetStore(writer: database.writer)
            try store.write { transaction in for budget in budgets { try transaction.saveBudget(budget) } }
            let ledger = BudgetLedger(store: store, prices: Self.prices, reservationLifetime: Self.lifetime, now: now)
            return World(
                ledger: ledger, clock: clock,
                reservations: {
                    let ids = try database.writer.read { db in
                        try String.fetchAll(db, sql: "SELECT id FROM budget_reservations")
                    }
                    return try ids.compactMap { id in try store.read { try $0.reservation(id: id) } }
                })
        }
    }

    func reserve(_ ledger: BudgetLedger) async throws -> Reservation {
        try await ledger.reserve(model: "m", inputTokens: 100, maxOutputTokens: 50, for: CallAttribution(clientID: "acme"))
    }

    @Test(
        "a killed run's reservations hold until the lease ends, then stop counting and are kept as abandoned",
        arguments: StoreKind.allCases, [1, 2, 5, 13])
    func killedRunExpires(kind: StoreKind, held: Int) async throws {
        // The budget fits exactly `held` worst cases.
        let world = try world(kind, budget: Money(picodollars: Self.worstCase.picodollars * Int64(held)))
        // A run reserves and is killed: nothing is ever settled or released.
        var killed: [Reservation] = []
        for _ in 0..<held { killed.append(try await reserve(world.ledger)) }
        // While the leases run, the money is held: at any moment up to the last instant, no new call fits.
        for elapsed in [0.0, 1, 60, Self.lifetime / 2, Self.lifetime - 1, Self.lifetime - 0.001] {
            world.clock.advance(to: ManualClock.Instant(offset: .milliseconds(Int64(elapsed * 1000))))
            let refusal = await #expect(throws: BudgetError.self) { try await reserve(world.ledger) }
            #expect(refusal?.code == .exceeded, "at +\(elapsed) s")
            #expect(try await world.ledger.status(id: "global/total").reserved == Self.worstCase * held)
        }
        #expect(try world.reservations().allSatisfy { $0.state == .reserved })

        // The lease ends: the killed run's money is free again.
        world.clock.advance(to: ManualClock.Instant(offset: .seconds(Int64(Self.lifetime))))
        #expect(try await world.ledger.status(id: "global/total").reserved == .zero)
        let fresh = try await reserve(world.ledger)
        // The reservation that just ran swept the ended leases: abandoned, charging nothing, kept.
        let stored = try world.reservations()
        #expect(stored.count == held + 1)
        for reservation in killed {
            let row = try #require(stored.first { $0.id == reservation.id })
            #expect(row.state == .abandoned)
            #expect(row.cost == nil)
            #expect(row.amount == Self.worstCase)
            #expect(row.createdAt == reservation.createdAt)
        }
        #expect(stored.first { $0.id == fresh.id }?.state == .reserved)
        let status = try await world.ledger.status(id: "global/total")
        #expect(status.spent == .zero)
        #expect(status.reserved == Self.worstCase)
    }

    @Test("live reservations still hold after expired ones are swept: zero overspend", arguments: StoreKind.allCases)
    func liveLeasesHold(kind: StoreKind) async throws {
        let world = try world(kind, budget: Money(picodollars: Self.worstCase.picodollars * 4))
        // Waves of reservations a minute apart; each wave's lease ends 600 s after it started.
        var live: [(Reservation, Date)] = []
        var granted = 0
        for minute in 0..<30 {
            world.clock.advance(to: ManualClock.Instant(offset: .seconds(Int64(minute * 60))))
            let now = Self.start.addingTimeInterval(Double(minute * 60))
            live.removeAll { $0.1.addingTimeInterval(Self.lifetime) <= now }
            // Try to take more than fits: only the room left by ended leases may be granted.
            for _ in 0..<3 {
                do {
                    live.append((try await reserve(world.ledger), now))
                    granted += 1
                } catch let error as BudgetError {
                    #expect(error.code == .exceeded)
                }
            }
            #expect(live.count <= 4, "minute \(minute): \(live.count) live reservations for a budget of 4")
            let status = try await world.ledger.status(id: "global/total")
            #expect(status.reserved == Self.worstCase * live.count, "minute \(minute)")
            #expect(status.reserved <= status.budget.amount)
        }
        // Every wave of 4 is abandoned after 10 minutes, so the budget served 4 every 10 minutes.
        #expect(granted == 12)
        let abandoned = try world.reservations().filter { $0.state == .abandoned }.count
        #expect(abandoned == granted - live.count)
    }

    @Test("a call settled after its lease ended is still charged; a late release changes nothing", arguments: StoreKind.allCases)
    func lateSettlement(kind: StoreKind) async throws {
        let world = try world(kind, budget: Money(dollars: 1))
        let settledLate = try await reserve(world.ledger)
        let releasedLate = try await reserve(world.ledger)
        world.clock.advance(to: ManualClock.Instant(offset: .seconds(Int64(Self.lifetime) + 5)))
        #expect(try await world.ledger.abandonExpiredReservations() == 2)
        #expect(try await world.ledger.abandonExpiredReservations() == 0)
        let settlement = try await world.ledger.settle(settledLate, cost: .known(Money(picodollars: 150_000)))
        #expect(settlement.charged == Money(picodollars: 150_000))
        try await world.ledger.release(releasedLate)
        let stored = try world.reservations()
        #expect(stored.first { $0.id == settledLate.id }?.state == .settled)
        #expect(stored.first { $0.id == releasedLate.id }?.state == .abandoned)
        let status = try await world.ledger.status(id: "global/total")
        #expect(status.spent == Money(picodollars: 150_000))
        #expect(status.reserved == .zero)
    }

    @Test("a database written before leases had the abandoned state migrates with its reservations")
    func migrationKeepsRows() throws {
        SQLiteProcess.configure()  // before SQLite opens its first connection of this process
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        let before = KAMSchema.migrations.prefix { $0.id != "ledger-v2-abandoned-reservations" }
        for migration in before { migrator.registerMigration(migration.id, migrate: migration.migrate) }
        try migrator.migrate(queue)
        for (index, state) in ["reserved", "settled", "released"].enumerated() {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO budget_reservations (id, model, amount_picousd, created_at, expires_at, state, cost_picousd)
                        VALUES (?, 'm', 100, ?, ?, ?, ?)
                        """,
                    arguments: ["r\(index)", 1.0, 601.0, state, state == "settled" ? 90 : nil])
            }
        }
        try KAMSchema.migrator.migrate(queue)
        let store = SQLiteBudgetStore(writer: queue)
        #expect(try store.read { try $0.reservation(id: "r1") }?.cost == Money(picodollars: 90))
        #expect(try store.write { try $0.abandonExpiredReservations(now: Date(timeIntervalSince1970: 601)) } == 1)
        #expect(try store.read { try $0.reservation(id: "r0") }?.state == .abandoned)
        #expect(try store.read { try $0.reservation(id: "r2") }?.state == .released)
        // The sweep reads the partial index of reserved rows, not the whole table.
        let plan = try queue.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN UPDATE budget_reservations SET state = 'abandoned' WHERE state = 'reserved' AND expires_at <= 5"
            ).map { $0["detail"] as String? ?? "" }.joined(separator: " ")
        }
        #expect(plan.contains("budget_reservations_reserved"), "\(plan)")
    }
}
