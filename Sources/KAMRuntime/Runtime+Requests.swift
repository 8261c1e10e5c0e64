import KAMCore
import KAMStore

extension Runtime {
    /// Intelligence requests: submit, answer in the background, poll, list.
    public var requests: IntelligenceRequestService { IntelligenceRequestService(runtime: self) }

    /// Analytics for managers and admins: draft and suggestion acceptance, cost, experiments.
    public var analytics: AnalyticsService { AnalyticsService(runtime: self) }
}
