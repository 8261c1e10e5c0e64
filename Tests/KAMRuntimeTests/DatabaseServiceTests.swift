import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// `kam db check`: a whole store is whole; a store with rows whose parent is gone is not, and says which rows.
@Suite("Database check")
struct DatabaseServiceTests {
    @Test("the demo store is whole, every migration applied; deleting a client under the foreign keys' back orphans its rows")
    func orphans() async throws {
        let world = try await CRMTestWorld.demo()
        let whole = try world.runtime.database.check(as: .anonymous)
        // The ledgers are in the store's file: its tables are in the check, nothing is kept apart.
        #expect(try await world.runtime.database.ledger(as: .anonymous) == nil)
        #expect(whole.isHealthy && whole.integrity.isEmpty && whole.orphanCount == 0)
        #expect(whole.appliedMigrations == whole.knownMigrations && whole.knownMigrations == KAMSchema.migrations.count)
        #expect(whole.tables.first { $0.table == "clients" }?.rows == 8)

        let deals = try await world.runtime.sqliteStore!.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deals WHERE client_id = 'acme'") ?? 0
        }
        try await world.runtime.sqliteStore!.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "DELETE FROM clients WHERE id = 'acme'")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let damaged = try world.runtime.database.check(as: .anonymous)
        #expect(!damaged.isHealthy)
        #expect(damaged.orphans.allSatisfy { $0.parent == "clients" })
        #expect(damaged.orphans.filter { $0.table == "deals" }.count == deals && deals > 0)
    }

    @Test("only an admin (or a local run) checks the database: tom manages a team, leo is a member")
    func adminOnly() async throws {
        let runtime = try await DraftServiceTests.runtime()
        #expect(try runtime.database.check(as: ActingUser("maria")).isHealthy)
        for user in ["tom", "leo"] {
            #expect(throws: RoleRefusal.self) { try runtime.database.check(as: ActingUser(user)) }
        }
    }
}
