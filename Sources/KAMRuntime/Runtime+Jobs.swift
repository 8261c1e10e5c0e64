import KAMCore
import KAMStore

extension Runtime {
    /// Scheduled jobs (`kam jobs`, and `JobScheduler` inside `kam serve`).
    public var jobs: JobService { JobService(runtime: self) }
}
