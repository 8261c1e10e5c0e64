import Foundation

/// The runs of scheduled jobs (`job_runs`), claimed a slot at a time with a lease so that each slot runs once
/// across restarts and processes: `KAMStore.JobRunRepository` on SQLite, `KAMPostgres.PostgresJobRunStore` on
/// PostgreSQL; `JobService` reaches them through `Runtime.jobRuns`.
///
/// Every implementation holds across processes sharing its database: of many racing `claim`s of one (job, subject,
/// slot) exactly one gets the run; a run still `running` after its lease ended is taken over by exactly one claim;
/// `finish` by an owner whose run was taken over writes nothing.
public protocol JobRunStoring: Sendable {
    /// Claims `job`'s run for `slot` (and `subject`, the user of a per-user job) for `owner` until `leaseUntil`; nil
    /// when another holds it or it has finished. A run whose lease ended before `now` is taken over (its attempts
    /// counted; `manual` stays the first claim's).
    func claim(
        job: String, subject: String?, slot: Date, manual: Bool, owner: String, now: Date, leaseUntil: Date
    ) throws -> JobRun?

    /// Records how run `id` ended, unless another owner has taken it over since (or it has already finished); a
    /// failure appends its `job.failed` event in the same transaction.
    /// - Returns: whether the record was written.
    @discardableResult
    func finish(id: Int64, owner: String, outcome: JobRun.Outcome, counts: [String: Int], error: String?, now: Date)
        throws -> Bool

    /// Whether `job`'s run for `slot` (and `subject`) is finished or held under a live lease at `now` (so a claim
    /// would get nothing).
    func isTaken(job: String, subject: String?, slot: Date, now: Date) throws -> Bool

    /// Runs still `running` whose lease ended before `now` (their process died mid-run), oldest slot first.
    func abandoned(now: Date) throws -> [JobRun]

    /// The latest run of `job` by slot, if any.
    func latest(job: String) throws -> JobRun?

    /// Runs, newest slot first (then newest id), of `job` only when given; at most `limit`.
    func history(job: String?, limit: Int) throws -> [JobRun]
}
