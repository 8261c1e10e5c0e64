import Foundation
import GRDB
import KAMCore

/// The runs of scheduled jobs. A run is claimed for a (job, slot) with a lease: the first claim wins, a later
/// claim of the same slot gets nothing while the run is finished or its lease is live, and takes the run over
/// when its runner died mid-run (lease over). So each slot runs exactly once across restarts and processes. A
/// per-user job's runs are keyed by their `subject` (the user) too. The claim is one `INSERT … ON CONFLICT DO UPDATE
/// … WHERE` the lease ended, in a write transaction: SQLite's one writer orders racing claims, across processes too.
public struct JobRunRepository: JobRunStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

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
                    job, JobRun.subjectKey(subject), slot.timeIntervalSince1970, manual, owner, leaseUntil.timeIntervalSince1970,
                    now.timeIntervalSince1970,
                ])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(
                db, sql: "SELECT * FROM job_runs WHERE job = ? AND subject = ? AND slot = ?",
                arguments: [job, JobRun.subjectKey(subject), slot.timeIntervalSince1970]
            ).map(Self.run)
        }
    }

    @discardableResult
    public func finish(id: Int64, owner: String, outcome: JobRun.Outcome, counts: [String: Int], error: String?, now: Date)
        throws -> Bool
    {
        let text = try JobRun.countsText(counts)
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
                try EventLog.append(
                    db,
                    .jobFailed(
                        runID: id, job: row["job"], slot: Date(timeIntervalSince1970: row["slot"]),
                        userID: JobRun.subject(key: row["subject"]), at: now))
            }
            return true
        }
    }

    public func isTaken(job: String, subject: String? = nil, slot: Date, now: Date) throws -> Bool {
        try store.writer.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM job_runs WHERE job = ? AND subject = ? AND slot = ?
                    AND (outcome != 'running' OR lease_until >= ?)
                    """,
                arguments: [job, JobRun.subjectKey(subject), slot.timeIntervalSince1970, now.timeIntervalSince1970]) ?? false
        }
    }

    public func abandoned(now: Date) throws -> [JobRun] {
        try store.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM job_runs WHERE outcome = 'running' AND lease_until < ? ORDER BY slot, id",
                arguments: [now.timeIntervalSince1970]
            ).map(Self.run)
        }
    }

    public func latest(job: String) throws -> JobRun? {
        try store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM job_runs WHERE job = ? ORDER BY slot DESC LIMIT 1", arguments: [job])
                .map(Self.run)
        }
    }

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
        JobRun(
            id: row["id"], job: row["job"], subject: JobRun.subject(key: row["subject"]),
            slot: Date(timeIntervalSince1970: row["slot"]), manual: row["manual"],
            owner: row["owner"], attempts: row["attempts"], outcome: JobRun.Outcome(rawValue: row["outcome"]) ?? .running,
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            counts: JobRun.counts(text: row["counts"]),
            error: row["error"])
    }
}
