import Foundation

/// One run of a scheduled job for one slot: who ran it, when, and what came of it.
public struct JobRun: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case running, succeeded, failed
    }

    public var id: Int64
    public var job: String
    /// The user a per-user job's run is for (the daily review); nil for a job that runs once a slot.
    public var subject: String?
    /// The scheduled minute the run is for.
    public var slot: Date
    /// Asked for by hand (`kam jobs run`), not by the schedule.
    public var manual: Bool
    public var owner: String
    public var attempts: Int
    public var outcome: Outcome
    public var startedAt: Date
    public var finishedAt: Date?
    /// What the run did (`{"expired": 3}`).
    public var counts: [String: Int]
    public var error: String?

    public init(
        id: Int64, job: String, subject: String?, slot: Date, manual: Bool, owner: String, attempts: Int,
        outcome: Outcome, startedAt: Date, finishedAt: Date?, counts: [String: Int], error: String?
    ) {
        self.id = id
        self.job = job
        self.subject = subject
        self.slot = slot
        self.manual = manual
        self.owner = owner
        self.attempts = attempts
        self.outcome = outcome
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.counts = counts
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, job, subject, slot, manual, owner, attempts, outcome, counts, error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    /// `counts` as the stores keep them (`job_runs.counts`): a JSON object with sorted keys.
    public static func countsText(_ counts: [String: Int]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }

    /// The counts a stored `job_runs.counts` holds (none when it is null or not such an object).
    public static func counts(text: String?) -> [String: Int] {
        text.flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) } ?? [:]
    }

    /// The `job_runs.subject` key of a run for `subject`: '' for a job that runs once a slot (so the unique key
    /// (job, subject, slot) holds for it too).
    public static func subjectKey(_ subject: String?) -> String { subject ?? "" }

    /// The subject a stored key stands for.
    public static func subject(key: String) -> String? { key.isEmpty ? nil : key }
}
