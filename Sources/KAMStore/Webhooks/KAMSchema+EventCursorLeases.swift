import GRDB

extension KAMSchema {
    /// A consumer's cursor is claimed for one pass (`owner`, `lease_until`; `EventRepository.claim`): two processes
    /// running the same consumer on one store never both handle its next batch, and one that died mid-batch is
    /// replaced once its lease ends. Both are null while nobody holds the cursor.
    static let eventCursorLeaseMigrations: [SchemaMigration] = [
        SchemaMigration("event-cursor-leases-v1") { db in
            try db.alter(table: "event_cursors") { t in
                t.add(column: "owner", .text)
                t.add(column: "lease_until", .double)
            }
        }
    ]
}
