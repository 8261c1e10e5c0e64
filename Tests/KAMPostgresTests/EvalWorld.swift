import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Handles on one store's intelligence requests, evaluation runs, experiments and snapshots, one a process, holding
/// `DraftWorld`'s users and clients.
struct EvalWorld: StoreWorld {
    struct Handle: Sendable {
        let requests: any IntelligenceRequestStoring
        let evalRuns: any EvalRunStoring
        let experiments: any ExperimentStoring
        /// The drafts an experiment's outcomes are read from.
        let drafts: any DraftStoring
        let snapshots: any SnapshotStoring
    }

    let database: TestDatabase
    let handles: [Handle]

    var requests: any IntelligenceRequestStoring { handles[0].requests }
    var evalRuns: any EvalRunStoring { handles[0].evalRuns }
    var experiments: any ExperimentStoring { handles[0].experiments }
    var snapshots: any SnapshotStoring { handles[0].snapshots }

    /// A fixed time (whole seconds, which both stores keep exactly) for the suites' clocks.
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute(DraftWorld.seed)
        let now = database.now
        handles = database.each(
            sqlite: { store in
                Handle(
                    requests: IntelligenceRequestRepository(writer: store.writer),
                    evalRuns: EvalRunRepository(writer: store.writer, now: now),
                    experiments: ExperimentRepository(writer: store.writer), drafts: DraftRepository(store: store),
                    snapshots: SnapshotRepository(writer: store.writer))
            },
            postgres: { store in
                Handle(
                    requests: PostgresIntelligenceRequestStore(store: store),
                    evalRuns: PostgresEvalRunStore(store: store, now: now),
                    experiments: PostgresExperimentStore(store: store), drafts: PostgresDraftStore(store: store),
                    snapshots: PostgresSnapshotStore(store: store))
            })
    }
}
