import Foundation
import KAMCore
import KAMStore

/// Scheduled jobs (`kam jobs list|run|history`, and inside `kam serve` through `JobScheduler`): each job's
/// latest slot that is due and not yet claimed is claimed with a lease in `job_runs` and run, so a slot runs
/// exactly once however many processes race for it, and a run whose process died is taken over when its lease
/// runs out (even when a later slot of the job is due by then). A slot nobody claimed is not back-filled: after a day
/// offline, the hourly check runs once, for the latest hour. A failed run records its error and emits a `job.failed` event. Schedules are kam.yaml's
/// (`jobs:`, `JobConfiguration`), read in their time zone.
///
/// For example:
/// ```swift
/// let runs = try await runtime.jobs.runDue(owner: "host:42")   // what was due now, each run once
/// ```
public struct JobService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any JobRunStoring { runtime.jobRuns }

    /// A job, its schedule, its last run and its next slot.
    public struct Status: Codable, Sendable {
        public var job: JobKind
        /// The cron expression (kam.yaml's `jobs.schedules`, else the job's default).
        public var schedule: String
        /// The IANA zone it is read in.
        public var timeZone: String
        public var summary: String
        public var lastRun: JobRun?
        public var nextSlot: Date?

        enum CodingKeys: String, CodingKey {
            case job, schedule, summary, timeZone = "time_zone", lastRun = "last_run", nextSlot = "next_slot"
        }
    }

    /// Every job with its schedule, last run and next slot.
    public func list() throws -> [Status] {
        try JobKind.allCases.map { job in
            // A per-user job's schedule as configured, in the configured zone; each user's own zone moves it.
            let schedule = runtime.configuration.jobs.schedule(for: job)
            return Status(
                job: job, schedule: schedule.expression, timeZone: schedule.timeZone.identifier, summary: job.summary,
                lastRun: try repository.latest(job: job.rawValue), nextSlot: schedule.slot(after: runtime.now()))
        }
    }

    /// Runs, newest first, of `job` only when given.
    public func history(job: JobKind? = nil, limit: Int = 50) throws -> [JobRun] {
        try repository.history(job: job?.rawValue, limit: limit)
    }

    /// Runs each job whose latest slot at or before now has not been claimed yet, each claimed for `owner`; a
    /// per-user job (the daily review) once for each enabled user, in the user's time zone.
    /// - Returns: the runs this call made (finished), in job order.
    public func runDue(owner: String) async throws -> [JobRun] {
        var runs: [JobRun] = []
        // Slots whose runner died mid-run first: each is taken over once its lease has ended, even when a later slot
        // of the job is due by now.
        for dead in try repository.abandoned(now: runtime.now()) {
            try Task.checkCancellation()
            guard let job = JobKind(rawValue: dead.job) else { continue }
            let user = try dead.subject.map { try runtime.users.account($0) }
            if let run = try await run(job, for: user, slot: dead.slot, manual: dead.manual, owner: owner) { runs.append(run) }
        }
        for job in JobKind.allCases {
            for (subject, schedule) in try schedules(of: job) {
                try Task.checkCancellation()
                // A read first: most ticks find every slot taken, and need no write.
                guard let slot = schedule.slot(atOrBefore: runtime.now()),
                    try !repository.isTaken(job: job.rawValue, subject: subject?.id, slot: slot, now: runtime.now())
                else { continue }
                if let run = try await run(job, for: subject, slot: slot, manual: false, owner: owner) { runs.append(run) }
            }
        }
        return runs
    }

    /// Runs `job` now, outside its schedule (`kam jobs run NAME`, for cron): a per-user job for every enabled user.
    /// Only an admin or a local run may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.wrongState` (`job.running`) when the runs
    ///   of this job for this minute are already claimed.
    public func runNow(_ job: JobKind, owner: String, as user: ActingUser) async throws -> [JobRun] {
        try runtime.requireAdmin(user, for: "running a job")
        let minute = Date(timeIntervalSince1970: (runtime.now().timeIntervalSince1970 / 60).rounded(.down) * 60)
        let due = try schedules(of: job)
        var runs: [JobRun] = []
        for (subject, _) in due {
            if let run = try await run(job, for: subject, slot: minute, manual: true, owner: owner) { runs.append(run) }
        }
        guard !runs.isEmpty || due.isEmpty else {
            throw RuntimeError(
                .wrongState, code: "job.running",
                "\(job.rawValue) already ran or is running for \(ISO8601DateFormatter().string(from: minute)); `kam jobs history` shows it")
        }
        return runs
    }

    /// `job`'s schedule, or for a per-user job each enabled user with the schedule read in their time zone.
    private func schedules(of job: JobKind) throws -> [(user: UserAccount?, schedule: CronSchedule)] {
        let jobs = runtime.configuration.jobs
        guard job.isPerUser else { return [(nil, jobs.schedule(for: job))] }
        return try runtime.users.list().filter { !$0.isDisabled }.map { account in
            (account, jobs.schedule(for: job, in: UserService.timeZone(of: account, configured: jobs.timeZone)))
        }
    }

    /// Claims `job`'s run for `slot` (and `user`, for a per-user job) and runs it; nil when another process holds or
    /// finished it.
    private func run(_ job: JobKind, for user: UserAccount?, slot: Date, manual: Bool, owner: String) async throws -> JobRun? {
        let started = runtime.now()
        guard
            var run = try repository.claim(
                job: job.rawValue, subject: user?.id, slot: slot, manual: manual, owner: owner, now: started,
                leaseUntil: started.addingTimeInterval(runtime.configuration.jobs.leaseSeconds))
        else { return nil }
        do {
            run.counts = try await body(of: job, for: user, slot: slot)
            // The rules on this job's schedule, once the job's own work is done (a per-user job has none).
            if !job.isPerUser, try runtime.rules.hasScheduledRules(for: job) {
                run.counts["rules_fired"] = try await runtime.rules.runScheduled(job, slot: slot)
            }
            run.outcome = .succeeded
        } catch is CancellationError {
            // Left running: its lease runs out and the next process takes the slot over.
            throw CancellationError()
        } catch {
            run.outcome = .failed
            run.error = "\(error)"
            runtime.options.logger.warning("job failed", metadata: ["job": "\(job.rawValue)", "error": "\(error)"])
        }
        run.finishedAt = runtime.now()
        try repository.finish(
            id: run.id, owner: owner, outcome: run.outcome, counts: run.counts, error: run.error, now: run.finishedAt!)
        return run
    }

    /// What `job` does (for `user`, a per-user job's), and its counts.
    private func body(of job: JobKind, for user: UserAccount?, slot: Date) async throws -> [String: Int] {
        switch job {
        case .inactivityCheck:
            let pass = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
            return [
                "overdue": try runtime.clientRecords.noteOverdueTasks(now: runtime.now()),
                "clients": pass.outcomes.count, "added": pass.outcomes.map(\.added.count).reduce(0, +),
                "resolved": pass.outcomes.map(\.resolved.count).reduce(0, +),
            ]
        case .healthRecompute:
            let ids = try runtime.clientMemory.listClients().map(\.id)
            let scored = try runtime.health.score(clientIDs: ids, as: .anonymous).count
            // The day before the slot is over: its analytics snapshot, taken again if the job runs twice.
            let snapshot = try await runtime.analytics.snapshot(day: AnalyticsDay(containing: slot).previous, as: .anonymous)
            return ["scored": scored, "snapshot_rows": snapshot.rows]
        case .suggestionExpiry:
            return ["expired": try runtime.suggestionStore.expirePending(now: runtime.now())]
        case .retentionCleanup:
            let sweep = try runtime.retention.apply(as: .anonymous)
            return [
                "drafts_deleted": sweep.outcome.draftsDeleted, "payloads_cleared": sweep.outcome.payloadsCleared,
                "events_deleted": sweep.outcome.eventsDeleted, "skipped_rules_deleted": sweep.outcome.skippedRulesDeleted,
            ]
        case .selfCheck:
            let counts = try runtime.clientMemory.counts()
            let budgets = try await runtime.ledger.statuses()
            let probes = try await runtime.runners.probeProviders()
            let unreachable = probes.filter { !$0.reachable }
            guard unreachable.isEmpty else {
                throw RuntimeError(
                    .wrongState, code: "job.provider-unreachable",
                    "self-check: " + unreachable.map { "provider '\($0.provider)' is unreachable: \($0.detail)" }.joined(separator: "; ")
                        + "; fix its key or base_url in kam.yaml, or the server")
            }
            return [
                "clients": counts.clients, "budgets": budgets.count,
                "budgets_exhausted": budgets.filter { $0.remaining.dollars <= 0 }.count,
                "providers": probes.count, "providers_reachable": probes.count,
            ]
        case .dailyReview:
            guard let user else { return [:] }
            let zone = UserService.timeZone(of: user, configured: runtime.configuration.jobs.timeZone)
            let review = try await runtime.plans.review(userID: user.id, in: zone, at: slot)
            return [
                "items": review.plan.items.count, "clients": review.plan.clients, "brief": review.plan.brief == nil ? 0 : 1,
                "written": review.created ? 1 : 0,
            ]
        case .weeklyAnalysis:
            let week = try await runtime.teamAnalysis.run(at: slot)
            return [
                "owners": week.reports.count, "written": week.written, "coached": week.reports.count { $0.coaching != nil },
                "at_risk": week.reports.map(\.atRisk.count).reduce(0, +),
            ]
        case .notificationDigest:
            return ["written": try runtime.inbox.writeDigests(before: slot)]
        case .weeklyExport:
            guard let report = try runtime.exports.weekly(slot: slot) else { return ["written": 0] }
            return [
                "written": 1, "examples": report.examplesWritten, "train": report.trainExamples,
                "validation": report.validationExamples, "rejected": report.rejectedCount,
            ]
        case .candidateEvaluation:
            let evaluations = try await runtime.evals.evaluateCandidates(
                in: URL(fileURLWithPath: runtime.configuration.resolvedEvaluationsPath()))
            let run = evaluations.filter { $0.skipped == nil }
            return [
                "suites": evaluations.count, "evaluated": run.count, "gate_failed": run.count { $0.gatePassed == false },
                "invalid": evaluations.count { if case .invalidSuite = $0.skipped { true } else { false } },
            ]
        }
    }
}
