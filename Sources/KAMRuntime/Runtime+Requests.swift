import KAMCore
import KAMStore

extension Runtime {
    /// Intelligence requests: submit, answer in the background, poll, list.
    public var requests: IntelligenceRequestService { IntelligenceRequestService(runtime: self) }

    /// The intelligence requests, in the store's database (`IntelligenceRequestRepository`;
    /// `PostgresIntelligenceRequestStore` is the same on PostgreSQL).
    var requestStore: any IntelligenceRequestStoring { IntelligenceRequestRepository(writer: store.writer) }

    /// Analytics for managers and admins: draft and suggestion acceptance, cost, experiments.
    public var analytics: AnalyticsService { AnalyticsService(runtime: self) }

    /// The daily analytics snapshots, in the store's database (`SnapshotRepository`; `PostgresSnapshotStore` is the
    /// same on PostgreSQL).
    var snapshotStore: any SnapshotStoring { SnapshotRepository(writer: store.writer) }

    /// What the analytics count, read from the store's database (`AnalyticsRepository`; `PostgresAnalyticsStore` is
    /// the same on PostgreSQL).
    var analyticsReader: any AnalyticsReading { AnalyticsRepository(writer: store.writer) }
}
