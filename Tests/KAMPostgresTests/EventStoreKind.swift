import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the conformance suites of the event log, the job runs and the webhooks run against: SQLite and PostgreSQL (these tables
/// have no store in memory). Each test makes a fresh world of one kind with several handles on the same data, as
/// several processes would open it: files of one path for SQLite, `PostgresStore`s on one schema for PostgreSQL.
enum EventStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh, empty world of `handles` handles, torn down (file removed, schema dropped) whatever
    /// happens.
    func withWorld(handles: Int = 2, _ body: (EventWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown, body)
    }

    private func open(handles: Int) async throws -> EventWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-events.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path) }
            return EventWorld(
                handles: stores.map { store in
                    EventWorld.Handle(
                        events: EventRepository(store: store), jobRuns: JobRunRepository(store: store),
                        webhookSources: WebhookSourceRepository(store: store),
                        webhookSubscriptions: WebhookSubscriptionRepository(store: store),
                        append: { event in try store.writer.write { db in try EventLog.append(db, event) } })
                }
            ) { file.remove() }
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return EventWorld(
                handles: opened.map { store in
                    EventWorld.Handle(
                        events: PostgresEventStore(store: store), jobRuns: PostgresJobRunStore(store: store),
                        webhookSources: PostgresWebhookSourceStore(store: store),
                        webhookSubscriptions: PostgresWebhookSubscriptionStore(store: store),
                        append: { event in
                            try store.transaction(readOnly: false) { session in
                                try PostgresEventLog.append(session, event)
                            }
                        })
                }, tearDown: tearDown)
        }
    }
}

/// Handles on one store's event log, job runs and webhooks, one a process.
struct EventWorld: Sendable {
    struct Handle: Sendable {
        let events: any EventStoring
        let jobRuns: any JobRunStoring
        let webhookSources: any WebhookSourceStoring
        let webhookSubscriptions: any WebhookSubscriptionStoring
        /// Appends an event in a transaction of its own, as a write of this store would.
        let append: @Sendable (DomainEvent) throws -> Int64
    }

    let handles: [Handle]
    let tearDown: @Sendable () async -> Void

    var events: any EventStoring { handles[0].events }
    var jobRuns: any JobRunStoring { handles[0].jobRuns }

    /// A fixed noon (UTC) for the suites' clocks.
    static let t0 = Date(timeIntervalSince1970: 1_795_003_200)
}
