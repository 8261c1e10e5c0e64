import Foundation
import KAMCore
import Testing

/// The in-memory store keeps `BEGIN IMMEDIATE` semantics: a body that throws leaves nothing behind.
@Suite struct InMemoryBudgetStoreTests {
    struct Boom: Error {}
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func reservation(_ id: String) -> Reservation {
        Reservation(
            id: id, attribution: CallAttribution(clientID: "acme"), model: "gpt-4o-mini", amount: Money(dollars: 1),
            createdAt: t0, expiresAt: t0.addingTimeInterval(600), budgetIDs: [], state: .reserved)
    }

    @Test func aThrowingWriteRollsEverythingBack() throws {
        let budget = Budget(scope: .client("acme"), period: .month, amount: Money(dollars: 5))
        let store = InMemoryBudgetStore(budgets: [budget])
        try store.write { try $0.insertReservation(reservation("r1")) }
        #expect(throws: Boom.self) {
            try store.write { transaction in
                try transaction.insertReservation(reservation("r2"))
                try transaction.updateReservation(id: "r1", state: .settled, cost: Money(dollars: 1))
                _ = try transaction.deleteBudget(id: budget.id)
                try transaction.saveBudget(Budget(scope: .global, period: .day, amount: Money(dollars: 9)))
                throw Boom()
            }
        }
        #expect(store.reservations.map(\.id) == ["r1"])
        #expect(store.reservations.first?.state == .reserved)
        #expect(try store.read { try $0.budgets() } == [budget])
    }

    @Test("sweeping ended leases marks only reserved, expired reservations, and a failed write undoes it")
    func sweepingEndedLeases() throws {
        let store = InMemoryBudgetStore()
        // 40 reservations with leases ending a second apart, some already settled or released.
        for index in 0..<40 {
            var item = reservation("r\(index)")
            item.expiresAt = t0.addingTimeInterval(Double(index))
            item.state = index % 5 == 0 ? .settled : index % 7 == 0 ? .released : .reserved
            try store.write { try $0.insertReservation(item) }
        }
        let reservedBefore = (0..<40).filter { $0 % 5 != 0 && $0 % 7 != 0 }
        #expect(throws: Boom.self) {
            try store.write { transaction in
                _ = try transaction.abandonExpiredReservations(now: t0.addingTimeInterval(100))
                throw Boom()
            }
        }
        #expect(store.reservations.filter { $0.state == .abandoned }.isEmpty)
        for cutoff in [0, 10, 25, 39] {
            let swept = try store.write { try $0.abandonExpiredReservations(now: t0.addingTimeInterval(Double(cutoff))) }
            let expected = reservedBefore.filter { $0 <= cutoff }
            #expect(store.reservations.filter { $0.state == .abandoned }.map(\.id).sorted() == expected.map { "r\($0)" }.sorted())
            #expect(swept >= 0)
        }
        #expect(store.reservations.filter { $0.state == .reserved }.isEmpty)
        #expect(store.reservations.filter { $0.state == .settled }.count == 8)
    }
}
