import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the ledger's conformance suites run against; each test makes a fresh world of one kind.
enum LedgerStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh, empty ledger world, torn down (files removed, schema dropped) whatever happens.
    func withWorld(clients: Int = 2, _ body: (LedgerWorld) async throws -> Void) async throws {
        let world = try await open(clients: clients)
        try await withTearDown(world, world.tearDown, body)
    }

    /// A fresh, empty ledger world with `clients` stores over the same data, as `clients` processes would open it.
    func open(clients: Int) async throws -> LedgerWorld {
        switch self {
        case .memory:
            // One process's store shared by every client: memory cannot be shared across processes.
            let store = InMemoryBudgetStore()
            return LedgerWorld(budgetStores: Array(repeating: store, count: clients), callLog: InMemoryCallLog()) {}
        case .sqlite:
            let file = TemporaryFile("kam-ledger.sqlite")
            let stores = try (0..<clients).map { _ in try ClientStore.open(path: file.path) }
            return LedgerWorld(
                budgetStores: stores.map { SQLiteBudgetStore(writer: $0.writer) },
                callLog: SQLiteCallLog(writer: stores[0].writer)
            ) { file.remove() }
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(clients)
            return LedgerWorld(
                budgetStores: opened.map { PostgresBudgetStore(store: $0) }, callLog: PostgresCallLog(store: opened[0]),
                tearDown: tearDown)
        }
    }
}

/// Ledger stores over one set of data (several clients, as separate processes would have) and its usage ledger.
struct LedgerWorld: Sendable {
    let budgetStores: [any BudgetStore]
    let callLog: any CallLog
    let tearDown: @Sendable () async -> Void

    init(budgetStores: [any BudgetStore], callLog: any CallLog, tearDown: @escaping @Sendable () async -> Void) {
        self.budgetStores = budgetStores
        self.callLog = callLog
        self.tearDown = tearDown
    }

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
