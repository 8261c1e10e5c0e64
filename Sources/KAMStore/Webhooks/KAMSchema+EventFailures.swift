import GRDB

extension KAMSchema {
    /// Events a consumer could not handle (`event_failures`): each cursor counts the failed passes at its position
    /// (`failures`, `last_error`); after `EventFailure.passLimit` of them the consumer handles the events one at a
    /// time and sets aside the one that fails here, so one poison event never stops every event after it. A failure
    /// goes with its event when a client is erased (a foreign key).
    static let eventFailureMigrations: [SchemaMigration] = [
        SchemaMigration("event-failures-v1") { db in
            try db.alter(table: "event_cursors") { t in
                t.add(column: "failures", .integer).notNull().defaults(to: 0)
                t.add(column: "last_error", .text)
            }
            try db.create(table: "event_failures") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("consumer", .text).notNull()
                t.column("event_id", .integer).notNull().references("events", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("error", .text).notNull()
                t.column("failed_at", .double).notNull()
                t.uniqueKey(["consumer", "event_id"])
            }
        }
    ]
}
