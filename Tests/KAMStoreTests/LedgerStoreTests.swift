import GRDB
import Testing

@testable import KAMStore

/// The ledgers' behaviour on SQLite (reserve, settle, release, totals, run budgets, several connections, the usage
/// ledger) is in the store conformance suites of KAMPostgresTests, which run it against memory, SQLite and
/// PostgreSQL alike; what is SQLite's own stays here.
@Suite("Ledger store")
struct LedgerStoreTests {
    @Test("the ledger migration creates its tables beside the foundation's")
    func migration() throws {
        let store = try ClientStore.inMemory()
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables.contains("budgets"))
        #expect(tables.contains("budget_reservations"))
        #expect(tables.contains("model_calls"))
        #expect(KAMSchema.migrations.map(\.id).contains("ledger-v1"))
    }
}
