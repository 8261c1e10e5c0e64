import Foundation

/// The `jobs:` section of kam.yaml: the time zone schedules are read in, and a job's own cron expression or
/// zone in place of its default (`JobKind.defaultSchedule`).
///
/// ```yaml
/// jobs:
///   time_zone: Europe/Berlin            # every schedule's zone, and a user's until they set their own (UTC by default)
///   schedules:
///     health-recompute: {cron: "30 4 * * *"}
///     retention-cleanup: {cron: "0 3 * * *", time_zone: UTC}
///   evaluations: Evaluations            # the suites the nightly candidate evaluation runs
///   interval_seconds: 30                # how often each server looks for due jobs and new events
///   lease_seconds: 1800                 # a claimed job run's lease: a run whose server died is taken over after it
///   event_lease_seconds: 300            # an event consumer's pass's lease, likewise
/// ```
///
/// A lease must be longer than the longest run or pass: one still running when its lease ends is run again by the
/// server that takes it over.
///
/// The daily review runs in each user's own time zone (`kam users update ID --time-zone`), so its entry takes
/// a cron expression only.
public struct JobConfiguration: Sendable, Hashable {
    /// The zone of every schedule without its own, and of users without their own.
    public private(set) var timeZone: TimeZone
    /// The schedules `kam.yaml` sets, by job.
    public private(set) var overrides: [JobKind: Override]
    /// The folder of evaluation suites the nightly candidate evaluation runs (relative to kam.yaml's folder, or to
    /// the working folder without a file).
    public var evaluations = "Evaluations"
    /// Seconds between a server's passes over the due jobs and the new events (`JobScheduler`).
    public var intervalSeconds: Double = 30
    /// Seconds a claimed job run is held: a run still `running` after it (its server died) is taken over by another.
    public var leaseSeconds: Double = 30 * 60
    /// Seconds an event consumer's pass holds its cursor: a pass not finished by then is handled again by another.
    public var eventLeaseSeconds: Double = 5 * 60
    private var schedules: [JobKind: CronSchedule]

    /// What one `schedules:` entry says.
    public struct Override: Sendable, Hashable {
        /// The cron expression in place of the default (its zone is the one below, or the section's).
        public var cron: CronSchedule?
        public var timeZone: TimeZone?

        public init(cron: CronSchedule? = nil, timeZone: TimeZone? = nil) {
            self.cron = cron
            self.timeZone = timeZone
        }
    }

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, overrides: [JobKind: Override] = [:]) {
        self.timeZone = timeZone
        self.overrides = overrides
        var schedules: [JobKind: CronSchedule] = [:]
        for job in JobKind.allCases {
            let zone = overrides[job]?.timeZone ?? timeZone
            schedules[job] = (overrides[job]?.cron ?? job.schedule).reading(in: zone)
        }
        self.schedules = schedules
    }

    /// The defaults: every job on its default schedule, in UTC.
    public static let defaults = JobConfiguration()

    /// The schedule `job` runs on (for the daily review: in the configured zone, which a user's own replaces).
    public func schedule(for job: JobKind) -> CronSchedule { schedules[job]! }

    /// The schedule of a per-user job (the daily review) for a user whose zone is `zone` (the configured one when nil).
    public func schedule(for job: JobKind, in zone: TimeZone?) -> CronSchedule {
        zone.map { schedule(for: job).reading(in: $0) } ?? schedule(for: job)
    }
}
