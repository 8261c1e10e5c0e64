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
}
