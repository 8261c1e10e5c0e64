import Foundation
import GRDB

/// The runs of scheduled jobs. A run is claimed for a (job, slot) with a lease: the first claim wins, a later
/// claim of the same slot gets nothing while the run is finished or its lease is live, and takes the run over
/// when its runner died mid-run (lease over). So each slot runs exactly once across restarts and processes. A
/// per-user job's runs are keyed by their `subject` (the user) too.
public struct JobRunRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Claims `job`'s run for `slot` (and `subject`, the user of a per-user job) for `owner` until `leaseUntil`; nil
    /// when another holds it or it has finished.
    public func claim(
        job: String, subject: String? = nil, slot: Date, manual: Bool = false, owner: String, now: Date, leaseUntil: Date
    ) throws -> JobRun? {
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO job_runs (job, subject, slot, manual, owner, lease_until, outcome, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'running', ?)
                    ON CONFLICT(job, subject, slot) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until,
                    started_at = excluded.started_at, attempts = attempts + 1
                    WHERE job_runs.outcome = 'running' AND job_runs.lease_until < excluded.started_at
                    """,
                arguments: [
                    job, subject ?? "", slot.timeIntervalSince1970, manual, owner, leaseUntil.timeIntervalSince1970,
                    now.timeIntervalSince1970,
                ])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM job_runs WHERE job = ? AND subject = ? AND slot = ?",
                arguments: [job, subject ?? "", slot.timeIntervalSince1970]
            ).map(Self.run)
        }
    }

    /// Records how run `id` ended, unless another owner has taken it over since; a failure with its `job.failed`
    /// event in the same transaction.
    /// - Returns: whether the record was written.
    @discardableResult
    public func finish(id: Int64, owner: String, outcome: JobRun.Outcome, counts: [String: Int], error: String?, now: Date)
        throws -> Bool
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(counts), as: UTF8.self)
        return try store.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE job_runs SET outcome = ?, finished_at = ?, counts = ?, error = ?
                    WHERE id = ? AND owner = ? AND outcome = 'running'
                    """,
                arguments: [outcome.rawValue, now.timeIntervalSince1970, text, error, id, owner])
            guard db.changesCount > 0 else { return false }
            if outcome == .failed,
                let row = try Row.fetchOne(db, sql: "SELECT job, subject, slot FROM job_runs WHERE id = ?", arguments: [id])
            {
                let subject: String = row["subject"]
                try EventLog.append(
                    db,
                    .jobFailed(
                        runID: id, job: row["job"], slot: Date(timeIntervalSince1970: row["slot"]),
                        userID: subject.isEmpty ? nil : subject, at: now))
            }
            return true
        }
    }

    /// Whether `job`'s run for `slot` (and `subject`) is finished or held under a live lease at `now` (so a claim
    /// would get nothing).
    public func isTaken(job: String, subject: String? = nil, slot: Date, now: Date) throws -> Bool {
        try store.writer.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM job_runs WHERE job = ? AND subject = ? AND slot = ?
                    AND (outcome != 'running' OR lease_until >= ?)
                    """,
                arguments: [job, subject ?? "", slot.timeIntervalSince1970, now.timeIntervalSince1970]) ?? false
        }
    }

    /// Runs still `running` whose lease ended before `now`: their process died mid-run, and the slot waits to be
    /// taken over (`claim`), oldest slot first.
    public func abandoned(now: Date) throws -> [JobRun] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM job_runs WHERE outcome = 'running' AND lease_until < ? ORDER BY slot, id",
                arguments: [now.timeIntervalSince1970]
            ).map(Self.run)
        }
    }

    /// The latest run of `job` by slot, if any.
    public func latest(job: String) throws -> JobRun? {
        try store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job_runs WHERE job = ? ORDER BY slot DESC LIMIT 1", arguments: [job])
                .map(Self.run)
        }
    }

    /// Runs, newest first, of `job` only when given.
    public func history(job: String? = nil, limit: Int = 50) throws -> [JobRun] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM job_runs" + (job == nil ? "" : " WHERE job = ?") + " ORDER BY slot DESC, id DESC LIMIT ?",
                arguments: job.map { [$0, limit] as StatementArguments } ?? [limit]
            ).map(Self.run)
        }
    }

    static func run(_ row: Row) -> JobRun {
        let counts = (row["counts"] as String?).flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) }
        return JobRun(
            id: row["id"], job: row["job"], subject: (row["subject"] as String?).flatMap { $0.isEmpty ? nil : $0 }, slot: Date(timeIntervalSince1970: row["slot"]), manual: row["manual"],
            owner: row["owner"], attempts: row["attempts"], outcome: JobRun.Outcome(rawValue: row["outcome"]) ?? .running,
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)), counts: counts ?? [:],
            error: row["error"])
    }
}
