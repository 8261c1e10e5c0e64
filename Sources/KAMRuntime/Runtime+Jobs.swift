import KAMCore
import KAMStore

extension Runtime {
    /// Scheduled jobs (`kam jobs`, and `JobScheduler` inside `kam serve`).
    public var jobs: JobService { JobService(runtime: self) }

    /// The runs of scheduled jobs, in the store's database (`JobRunRepository`; `PostgresJobRunStore` is the same on
    /// PostgreSQL).
    var jobRuns: any JobRunStoring { JobRunRepository(store: store) }
}
