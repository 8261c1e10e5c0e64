import Foundation
import GRDB
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Handles on one store's event log, job runs and webhooks, one a process, over a fresh, empty database.
struct EventWorld: StoreWorld {
    struct Handle: Sendable {
        let events: any EventStoring
        let jobRuns: any JobRunStoring
        let webhookSources: any WebhookSourceStoring
        let webhookSubscriptions: any WebhookSubscriptionStoring
        /// Appends an event in a transaction of its own, as a write of this store would.
        let append: @Sendable (DomainEvent) throws -> Int64
    }

    let database: TestDatabase
    let handles: [Handle]

    var events: any EventStoring { handles[0].events }
    var jobRuns: any JobRunStoring { handles[0].jobRuns }

    /// A fixed noon (UTC) for the suites' clocks.
    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    init(_ database: TestDatabase) {
        self.database = database
        handles = database.each(
            sqlite: { store in
                Handle(
                    events: EventRepository(store: store), jobRuns: JobRunRepository(store: store),
                    webhookSources: WebhookSourceRepository(store: store),
                    webhookSubscriptions: WebhookSubscriptionRepository(store: store),
                    append: { event in try store.writer.write { db in try EventLog.append(db, event) } })
            },
            postgres: { store in
                Handle(
                    events: PostgresEventStore(store: store), jobRuns: PostgresJobRunStore(store: store),
                    webhookSources: PostgresWebhookSourceStore(store: store),
                    webhookSubscriptions: PostgresWebhookSubscriptionStore(store: store),
                    append: { event in
                        try store.transaction(readOnly: false) { session in try PostgresEventLog.append(session, event) }
                    })
            })
    }
}
