import Foundation
import KAMCore
import PostgresNIO

/// The runs of scheduled jobs in a PostgreSQL database (`job_runs`), as `JobRunRepository` keeps them in SQLite,
/// shared by every process that opens it.
///
/// Exclusive across processes without a lock of its own: a claim is one `INSERT … ON CONFLICT (job, subject, slot)
/// DO UPDATE … WHERE` the run is still running and its lease ended. The unique key lets one insert win (the others
/// wait for it, then meet its row); on that row, PostgreSQL locks it and checks the `WHERE` again on its latest
/// version before updating, so of many claims after a lease ended exactly one takes the run over and the rest see
/// the new lease. `finish` is a compare-and-set (`WHERE owner = … AND outcome = 'running'`), so an owner whose run
/// was taken over writes nothing; a failure appends its `job.failed` event in the same transaction.
public struct PostgresJobRunStore: JobRunStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func claim(
        job: String, subject: String? = nil, slot: Date, manual: Bool = false, owner: String, now: Date,
        leaseUntil: Date
    ) throws -> JobRun? {
        try store.transaction(readOnly: false) { session in
            try Self.runs(
                session.query(
                    """
                    INSERT INTO job_runs (job, subject, slot, manual, owner, lease_until, outcome, started_at)
                    VALUES (\(job), \(JobRun.subjectKey(subject)), \(slot.timeIntervalSince1970), \(manual), \(owner),
                        \(leaseUntil.timeIntervalSince1970), 'running', \(now.timeIntervalSince1970))
                    ON CONFLICT (job, subject, slot) DO UPDATE SET owner = excluded.owner,
                        lease_until = excluded.lease_until, started_at = excluded.started_at,
                        attempts = job_runs.attempts + 1
                    WHERE job_runs.outcome = 'running' AND job_runs.lease_until < excluded.started_at
                    RETURNING \(unescaped: Self.columns)
                    """, doing: "claiming the \(job) run of \(slot)")
            ).first
        }
    }

    @discardableResult
    public func finish(
        id: Int64, owner: String, outcome: JobRun.Outcome, counts: [String: Int], error: String?, now: Date
    ) throws -> Bool {
        let text = try JobRun.countsText(counts)
        return try store.transaction(readOnly: false) { session in
            let rows = try session.query(
                """
                UPDATE job_runs SET outcome = \(outcome.rawValue), finished_at = \(now.timeIntervalSince1970),
                    counts = \(text), error = \(error)
                WHERE id = \(id) AND owner = \(owner) AND outcome = 'running'
                RETURNING job, subject, slot
                """, doing: "finishing job run \(id)")
            guard let row = rows.rows.first else { return false }
            if outcome == .failed {
                let (job, subject, slot) = try row.decode((String, String, Double).self)
                try PostgresEventLog.append(
                    session,
                    .jobFailed(
                        runID: id, job: job, slot: Date(timeIntervalSince1970: slot),
                        userID: JobRun.subject(key: subject),
                        at: now))
            }
            return true
        }
    }

    public func isTaken(job: String, subject: String? = nil, slot: Date, now: Date) throws -> Bool {
        try store.transaction(readOnly: true) { session in
            try !session.query(
                """
                SELECT 1 FROM job_runs
                WHERE job = \(job) AND subject = \(JobRun.subjectKey(subject)) AND slot = \(slot.timeIntervalSince1970)
                    AND (outcome <> 'running' OR lease_until >= \(now.timeIntervalSince1970))
                """, doing: "checking the \(job) run of \(slot)"
            ).rows.isEmpty
        }
    }

    public func abandoned(now: Date) throws -> [JobRun] {
        try read(
            """
            SELECT \(unescaped: Self.columns) FROM job_runs
            WHERE outcome = 'running' AND lease_until < \(now.timeIntervalSince1970) ORDER BY slot, id
            """, doing: "reading abandoned job runs")
    }

    public func latest(job: String) throws -> JobRun? {
        try read(
            "SELECT \(unescaped: Self.columns) FROM job_runs WHERE job = \(job) ORDER BY slot DESC LIMIT 1",
            doing: "reading the latest \(job) run"
        ).first
    }

    public func history(job: String? = nil, limit: Int = 50) throws -> [JobRun] {
        if let job {
            return try read(
                """
                SELECT \(unescaped: Self.columns) FROM job_runs WHERE job = \(job)
                ORDER BY slot DESC, id DESC LIMIT \(limit)
                """, doing: "reading the \(job) runs")
        }
        return try read(
            "SELECT \(unescaped: Self.columns) FROM job_runs ORDER BY slot DESC, id DESC LIMIT \(limit)",
            doing: "reading job runs")
    }

    private func read(_ query: PostgresQuery, doing: String) throws -> [JobRun] {
        try store.transaction(readOnly: true) { session in try Self.runs(session.query(query, doing: doing)) }
    }

    private static let columns =
        "id, job, subject, slot, manual, owner, attempts, outcome, started_at, finished_at, counts, error"

    /// The runs of a result selecting `columns`.
    private static func runs(_ result: PostgresQueryResult) throws -> [JobRun] {
        try result.rows.map { row in
            let (id, job, subject, slot, manual, owner, attempts, outcome, startedAt, finishedAt, counts, error) =
                try row.decode(
                    (Int64, String, String, Double, Bool, String, Int, String, Double, Double?, String?, String?).self)
            return JobRun(
                id: id, job: job, subject: JobRun.subject(key: subject), slot: Date(timeIntervalSince1970: slot),
                manual: manual, owner: owner, attempts: attempts,
                outcome: try PostgresColumn.enumValue(outcome, "outcome", table: "job_runs"),
                startedAt: Date(timeIntervalSince1970: startedAt),
                finishedAt: finishedAt.map(Date.init(timeIntervalSince1970:)), counts: JobRun.counts(text: counts),
                error: error)
        }
    }
}
