import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the ledger's conformance suites run against: the two backends, and the store in memory a process
/// without a database keeps. Each test makes a fresh world of one kind.
enum LedgerStoreKind: CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case store(StoreBackend)

    static let allCases: [LedgerStoreKind] = [.memory] + StoreBackend.allCases.map(LedgerStoreKind.store)

    var testDescription: String {
        switch self {
        case .memory: "memory"
        case .store(let backend): backend.testDescription
        }
    }

    /// Runs `body` in a fresh, empty ledger world with `clients` stores over the same data (as `clients` processes
    /// would open it), torn down (files removed, schema dropped) whatever happens.
    func withWorld(clients: Int = 2, _ body: (LedgerWorld) async throws -> Void) async throws {
        guard case .store(let backend) = self else {
            // One process's store shared by every client: memory cannot be shared across processes.
            let store = InMemoryBudgetStore()
            return try await body(LedgerWorld(budgetStores: Array(repeating: store, count: clients), callLog: InMemoryCallLog()))
        }
        try await backend.withDatabase(handles: clients, start: LedgerWorld.day) { database in
            try await body(
                LedgerWorld(
                    budgetStores: database.each(
                        sqlite: { SQLiteBudgetStore(writer: $0.writer) }, postgres: { PostgresBudgetStore(store: $0) }),
                    callLog: database.first(sqlite: { SQLiteCallLog(writer: $0.writer) }, postgres: { PostgresCallLog(store: $0) })))
        }
    }
}
