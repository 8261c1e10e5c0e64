import GRDB

extension ClientStore {
    /// Checks the whole store (`StoreCheck`) in one read transaction.
    public func check() throws -> StoreCheck {
        try writer.read { db in try StoreCheck.run(db, knownMigrations: KAMSchema.migrations.count) }
    }
}
