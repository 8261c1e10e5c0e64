import Foundation
import KAMCore
import KAMStore

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

    /// - Parameter interval: the time between passes; nil is `jobs.interval_seconds` (30 s by default).
    public init(runtime: Runtime, interval: Duration? = nil, owner: String = JobScheduler.defaultOwner()) {
        self.runtime = runtime
        self.interval = interval ?? .milliseconds(Int64(runtime.configuration.jobs.intervalSeconds * 1_000))
        self.owner = owner
    }

    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Runs due jobs until the task is cancelled, sleeping `interval` on the runtime's clock between passes.
    public func run() async {
        await PeriodicPass.run(every: interval, runtime: runtime, failure: "job pass failed") {
            _ = try await pass()
        }
    }

    /// What one pass did.
    public struct Pass: Sendable {
        /// The runs of the jobs that were due.
        public var runs: [JobRun]
        /// Events the stored plans' items and the rules read (each consumer counts its own).
        public var planEvents: Int
        public var ruleEvents: Int
    }

    /// One pass: the due jobs, then the plans and the rules catching up with the events (those of the jobs'
    /// writes included); what `kam serve` does every `interval` and `kam jobs run --due` does once.
    public func pass() async throws -> Pass {
        var pass = Pass(runs: try await runtime.jobs.runDue(owner: owner), planEvents: 0, ruleEvents: 0)
        // Each reads the events the other's writes appended (a rule's suggestion, a plan item done), until neither
        // finds a new one; rule chains end (`RuleChain.depthLimit`), and the rounds are bounded all the same.
        for _ in 0..<8 {
            let plans = try await runtime.plans.catchUp()
            let rules = try await runtime.rules.catchUp()
            pass.planEvents += plans
            pass.ruleEvents += rules
            if rules == 0 { break }
        }
        return pass
    }
}
