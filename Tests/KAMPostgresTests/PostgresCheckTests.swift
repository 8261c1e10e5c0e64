import Foundation
import KAMCore
import Testing

@testable import KAMPostgres

/// `kam db check --url`: a PostgreSQL store's check finds rows whose foreign key names a missing row and the
/// constraint that let them in, and counts every table.
@Suite("kam db check on PostgreSQL")
struct PostgresCheckTests {
    @Test("an orphaned contact behind a NOT VALID constraint is found, with its id; a whole store is whole")
    func orphans() async throws {
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        do {
            let whole = try database.check()
            #expect(whole.isHealthy)
            #expect(whole.appliedMigrations == PostgresSchema.migrations.count && whole.knownMigrations == whole.appliedMigrations)
            #expect(whole.tables.contains { $0.table == "contacts" && $0.rows == 0 })

            _ = try await database.strings("INSERT INTO clients (id, name, tier, currency, consent_ai_analysis, consent_training, lifecycle, lead_status, created_at, updated_at) VALUES ('acme', 'Acme', 'standard', 'USD', true, false, 'active', 'won', 0, 0) RETURNING id")
            _ = try await database.strings("INSERT INTO contacts (client_id, name, role) VALUES ('acme', 'Ann', 'user') RETURNING id::text")
            // A constraint added NOT VALID does not check the rows already there: the way a store gets an orphan.
            let constraint = try #require(
                try await database.strings(
                    "SELECT conname::text FROM pg_constraint WHERE conrelid = 'contacts'::regclass AND contype = 'f' AND confrelid = 'clients'::regclass"
                ).first)
            _ = try await database.strings("ALTER TABLE contacts DROP CONSTRAINT \(constraint)")
            let orphan = try #require(
                try await database.strings("INSERT INTO contacts (client_id, name, role) VALUES ('ghost', 'Gus', 'user') RETURNING id::text").first)
            _ = try await database.strings(
                "ALTER TABLE contacts ADD CONSTRAINT \(constraint) FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE NOT VALID")

            let damaged = try database.check()
            #expect(!damaged.isHealthy)
            #expect(damaged.orphanCount == 1)
            #expect(damaged.orphans == [StoreCheck.Orphan(table: "contacts", rowID: Int64(orphan), parent: "clients")])
            #expect(damaged.integrity.count == 1 && damaged.integrity[0].contains("NOT VALID"))
            #expect(damaged.tables.first { $0.table == "contacts" }?.rows == 2)
        } catch {
            try? await PostgresTestServer.drop(database)
            throw error
        }
        try await PostgresTestServer.drop(database)
    }
}
