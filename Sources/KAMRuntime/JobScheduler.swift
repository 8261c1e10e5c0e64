import Foundation

/// The background task of `kam serve` that runs scheduled jobs: every `interval` it runs what is due
/// (`JobService.runDue`), claimed under `owner` so another server on the same database never runs a slot twice,
/// then applies new events to the stored plans' items (`PlanService.catchUp`) and to the rules (`RuleService.catchUp`).
/// A pass that fails (the store busy) is logged and the next pass tries again.
///
/// For example:
/// ```swift
/// let scheduler = Task { await JobScheduler(runtime: runtime).run() }
/// defer { scheduler.cancel() }
/// ```
public struct JobScheduler: Sendable {
    public let runtime: Runtime
    public var interval: Duration
    /// Who claims the runs: host, process id and a random part, so two schedulers never share a lease.
    public var owner: String

    public init(runtime: Runtime, interval: Duration = .seconds(30), owner: String = JobScheduler.defaultOwner()) {
        self.runtime = runtime
        self.interval = interval
        self.owner = owner
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Runs due jobs until the task is cancelled, sleeping `interval` on the runtime's clock between passes.
    public func run() async {
        await PeriodicPass.run(every: interval, runtime: runtime, failure: "job pass failed") {
            _ = try await runtime.jobs.runDue(owner: owner)
            try await runtime.plans.catchUp()
            try await runtime.rules.catchUp()
        }
    }
}
