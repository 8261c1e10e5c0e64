import Foundation
import KAMCore

/// Ledger stores over one set of data (several clients, as separate processes would have) and its usage ledger.
struct LedgerWorld: Sendable {
    let budgetStores: [any BudgetStore]
    let callLog: any CallLog

    var store: any BudgetStore { budgetStores[0] }

    /// A ledger over the first store (or the `index`th), with the suites' one price.
    func ledger(_ index: Int = 0, now: @escaping @Sendable () -> Date = { LedgerWorld.day }) -> BudgetLedger {
        BudgetLedger(store: budgetStores[index], prices: Self.prices, now: now)
    }

    /// One model: a call of 100 input and 50 output tokens has a worst case of 200,000 picodollars.
    static let prices = PriceTable(models: [
        "m": ModelPrice(provider: "p", input: Money(picodollars: 1_000), output: Money(picodollars: 2_000))
    ])
    /// A fixed noon (UTC) for the suites' clocks.
    static let day = Date(timeIntervalSince1970: 1_795_003_200)
}
