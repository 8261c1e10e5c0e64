import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Synchronization
import Testing

@testable import KAMPostgres

/// The stores the conformance suites of the intelligence requests, evaluation runs, experiments and analytics
/// snapshots run against:
/// SQLite and PostgreSQL. Each test makes a fresh world of one kind with several handles on the same data, as several
/// processes would open it (files of one path for SQLite, `PostgresStore`s on one schema for PostgreSQL), holding
/// `DraftWorld`'s users and clients.
enum EvalStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world of `handles` handles with the users and clients, torn down (file removed, schema
    /// dropped) whatever happens.
    func withWorld(handles: Int = 2, _ body: (EvalWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles, clock: EvalWorld.Clock())
        try await withTearDown(world, world.tearDown) { world in
            try await DraftWorld(stores: [], backend: world.backend, tearDown: {}).addClients()
            try await body(world)
        }
    }

    private func open(handles: Int, clock: EvalWorld.Clock) async throws -> EvalWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-evals.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path) }
            return EvalWorld(
                handles: stores.map { store in
                    EvalWorld.Handle(
                        requests: IntelligenceRequestRepository(writer: store.writer),
                        evalRuns: EvalRunRepository(writer: store.writer, now: clock.now),
                        experiments: ExperimentRepository(writer: store.writer), drafts: DraftRepository(store: store),
                        snapshots: SnapshotRepository(writer: store.writer))
                }, backend: .sqlite(stores[0]), clock: clock, tearDown: { file.remove() })
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return EvalWorld(
                handles: opened.map { store in
                    EvalWorld.Handle(
                        requests: PostgresIntelligenceRequestStore(store: store),
                        evalRuns: PostgresEvalRunStore(store: store, now: clock.now),
                        experiments: PostgresExperimentStore(store: store), drafts: PostgresDraftStore(store: store),
                        snapshots: PostgresSnapshotStore(store: store))
                }, backend: .postgres(opened[0]), clock: clock, tearDown: tearDown)
        }
    }
}

/// Handles on one store's intelligence requests, evaluation runs, experiments and snapshots, one a process.
struct EvalWorld: Sendable {
    struct Handle: Sendable {
        let requests: any IntelligenceRequestStoring
        let evalRuns: any EvalRunStoring
        let experiments: any ExperimentStoring
        /// The drafts an experiment's outcomes are read from.
        let drafts: any DraftStoring
        let snapshots: any SnapshotStoring
    }

    /// The time every handle's `now` reads, set by the test.
    final class Clock: Sendable {
        private let time = Mutex(EvalWorld.t0)

        var now: @Sendable () -> Date { { [self] in time.withLock { $0 } } }

        func set(_ date: Date) { time.withLock { $0 = date } }
    }

    let handles: [Handle]
    let backend: DraftWorld.Backend
    let clock: Clock
    let tearDown: @Sendable () async -> Void

    var requests: any IntelligenceRequestStoring { handles[0].requests }
    var evalRuns: any EvalRunStoring { handles[0].evalRuns }
    var experiments: any ExperimentStoring { handles[0].experiments }
    var snapshots: any SnapshotStoring { handles[0].snapshots }

    /// A fixed time (whole seconds, which both stores keep exactly) for the suites' clocks.
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
}
